package dev.longdpo.model.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.longdpo.model.LlamaConfig;
import dev.longdpo.model.nn.AttentionContext;
import dev.longdpo.model.nn.ConcatKv;
import dev.longdpo.model.nn.DecodeKv;
import dev.longdpo.model.nn.KvStore;
import dev.longdpo.model.nn.LlamaModel;
import dev.longdpo.model.nn.SelfOnlyKv;
import dev.longdpo.model.runtime.DjlRuntime;
import dev.longdpo.model.tokenizer.TextTokenizer;
import dev.longdpo.model.train.GradientLock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Runs a model forward for generation and scoring: completes prefix states, then decodes a batch of
 * sequences one token per step against a preallocated key/value buffer.
 *
 * <p>The decode buffer is left-padded: each row's prefix ends at the same slot, so every row writes
 * its next key at the same slot and one mask slice serves the step. Writing in place (instead of
 * growing the cache by concatenation) keeps a step's cost independent of the prefix length apart
 * from the attention itself. Rows that finish early stay in the buffer until a quarter of it is
 * idle, then the buffer is compacted.
 *
 * <p>Not thread-safe: one generator serves one thread at a time.
 */
public final class Generator {

  private final LlamaModel model;
  private final NDManager root;
  private final Optional<TextTokenizer> tokenizer;
  private final Optional<StopTextIndex> stopTextIndex;
  private final Set<Integer> eos;
  private final ModelStats stats;
  private final int layers;
  private final int maxPositions;
  private final long bytesPerToken;

  /**
   * @param model the network
   * @param root the manager under which caches and per-call arrays are created
   * @param tokenizer decodes text and checks stop strings; without it, texts are empty
   * @param stats counters to update
   */
  public Generator(
      LlamaModel model, NDManager root, Optional<TextTokenizer> tokenizer, ModelStats stats) {
    this.model = model;
    this.root = root;
    this.tokenizer = tokenizer;
    LlamaConfig c = model.config();
    this.stopTextIndex = tokenizer.map(t -> new StopTextIndex(t, c.vocabSize()));
    this.eos = Set.copyOf(c.eosTokenIds());
    this.stats = stats;
    this.layers = c.numHiddenLayers();
    this.maxPositions = c.maxPositionEmbeddings();
    this.bytesPerToken = 2L * layers * c.numKeyValueHeads() * c.headDim() * 4L;
  }

  /** A new, uncached state for {@code tokens}. */
  public PrefixState prefix(int[] tokens) {
    for (int t : tokens) {
      if (t < 0 || t >= model.config().vocabSize()) {
        throw new IllegalArgumentException(
            "token id " + t + " is outside the vocabulary [0, " + model.config().vocabSize() + ")");
      }
    }
    return new PrefixState(tokens, bytesPerToken);
  }

  /**
   * Runs the tokens of {@code state} that its cache lacks, so the cache covers all of them and the
   * next-token logits are known. Does nothing for a complete state.
   */
  public void complete(PrefixState state) {
    DjlRuntime.withoutGrad(() -> completeNoGrad(state));
  }

  private void completeNoGrad(PrefixState state) {
    if (state.isComplete()) {
      return;
    }
    int n = state.length();
    if (n > maxPositions) {
      throw new IllegalArgumentException(
          "a prefix of " + n + " tokens exceeds max_position_embeddings " + maxPositions);
    }
    int cached = Math.min(state.cachedLength(), n - 1); // the last token must run for logits
    int[] tokens = state.tokensView();
    int pending = n - cached;
    NDManager owner = root.newSubManager();
    try (NDManager step = root.newSubManager()) {
      long[] ids = new long[pending];
      for (int i = 0; i < pending; i++) {
        ids[i] = tokens[cached + i];
      }
      NDArray input = step.create(ids, new Shape(1, pending));
      KvStore kv;
      if (cached > 0) {
        kv = new ConcatKv(slice(state.keys(), cached, step), slice(state.values(), cached, step));
      } else {
        kv = new SelfOnlyKv(layers);
      }
      AttentionContext ctx = model.causalContext(step, 1, pending, cached, kv);
      NDArray hidden = model.hidden(input, ctx);
      float[] logits =
          model.logits(hidden.get(new NDIndex(":, {}:, :", pending - 1))).toFloatArray();
      NDArray[] keys = cached > 0 ? ((ConcatKv) kv).keys() : ((SelfOnlyKv) kv).keys();
      NDArray[] values = cached > 0 ? ((ConcatKv) kv).values() : ((SelfOnlyKv) kv).values();
      for (int l = 0; l < layers; l++) {
        keys[l].attach(owner);
        values[l].attach(owner);
      }
      state.setCache(owner, keys, values, n, logits);
      stats.addPrefill(pending, cached);
    } catch (RuntimeException e) {
      owner.close();
      throw e;
    }
  }

  /** Views of the first {@code length} cached positions, owned by {@code manager}. */
  private NDArray[] slice(NDArray[] arrays, int length, NDManager manager) {
    NDArray[] out = new NDArray[arrays.length];
    for (int l = 0; l < arrays.length; l++) {
      out[l] =
          arrays[l].getShape().get(2) == length
              ? arrays[l]
              : arrays[l].get(manager, new NDIndex(":, :, :{}, :", length));
    }
    return out;
  }

  /**
   * Scores continuations: the raw model's log-prob of each continuation token given the prefix and
   * the continuation tokens before it.
   */
  public List<Score> score(List<ScoreRequest> requests) {
    return DjlRuntime.withoutGrad(
        () -> {
          List<Score> out = new ArrayList<>();
          for (ScoreRequest r : requests) {
            out.add(scoreOne(r));
          }
          return out;
        });
  }

  private Score scoreOne(ScoreRequest r) {
    PrefixState prefix = r.prefix();
    completeNoGrad(prefix);
    int[] cont = r.continuationView();
    int n = prefix.length();
    if (n + cont.length - 1 > maxPositions) {
      throw new IllegalArgumentException(
          "prefix + continuation of " + (n + cont.length) + " tokens exceed max_position_embeddings "
              + maxPositions);
    }
    float[] out = new float[cont.length];
    out[0] = (float) Sampler.logProb(prefix.lastLogits(), cont[0]);
    if (cont.length == 1) {
      return new Score(out);
    }
    int m = cont.length - 1;
    try (NDManager step = root.newSubManager()) {
      long[] ids = new long[m];
      long[] targets = new long[m];
      for (int i = 0; i < m; i++) {
        ids[i] = cont[i];
        targets[i] = cont[i + 1];
      }
      KvStore kv = new ConcatKv(prefix.keys(), prefix.values());
      AttentionContext ctx = model.causalContext(step, 1, m, n, kv);
      NDArray logits = model.logits(model.hidden(step.create(ids, new Shape(1, m)), ctx));
      NDArray picked =
          logits.logSoftmax(2).gather(step.create(targets, new Shape(1, m, 1)), 2);
      float[] lp = picked.toFloatArray();
      System.arraycopy(lp, 0, out, 1, m);
      stats.addPrefill(m, n);
    }
    return new Score(out);
  }

  /**
   * Generates a continuation for each request, batched. Results are in request order and do not
   * depend on which other requests share the batch (each row has its own seeded sampler).
   */
  public List<Generation> generate(List<GenerationRequest> requests) {
    // Not one shared section for the whole batch: each decoding step takes GradientLock's shared
    // side on its own, so a training step waits for one forward pass, not for a whole batch.
    return DjlRuntime.gradOff(() -> new Batch(requests).run());
  }

  /** One sequence of a batch. */
  private final class Row {
    final GenerationRequest request;
    final PrefixState prefix;
    final int prefixLength;
    final SamplingParams params;
    final SplittableRandom rng;
    final History history;
    float[] logProbs;
    float[] logits;
    float logSumExp;
    StopCause stop;
    Optional<PrefixState> state = Optional.empty();
    int slotRow = -1;
    int firstSlot;

    Row(GenerationRequest request) {
      this.request = request;
      this.prefix = request.prefix();
      this.prefixLength = prefix.length();
      this.params = request.params();
      this.rng = new SplittableRandom(request.seed());
      this.history = new History(prefix.tokensView(), params.maxNewTokens());
      this.logProbs = new float[Math.min(params.maxNewTokens(), 1024)];
    }

    /** Samples the next token from {@link #logits}; sets {@link #stop} if it ends the row. */
    void sampleNext() {
      float[] processed = logits;
      if (request.hook().isPresent()) {
        processed = logits.clone();
        request.hook().get().apply(history, processed);
      }
      int token = Sampler.sample(processed, params, rng);
      if (token < 0) {
        // The hook banned every token: end the row rather than emit something it forbade.
        stop = StopCause.STOP_TOKEN;
        return;
      }
      int g = history.generatedCount();
      if (g == logProbs.length) {
        logProbs = Arrays.copyOf(logProbs, Math.min(params.maxNewTokens(), g * 2));
      }
      logProbs[g] = logits[token] - logSumExp;
      history.add(token);
      g++;
      if (params.stopAtEos() && eos.contains(token)) {
        stop = StopCause.EOS;
      } else if (params.stopTokenIds().contains(token)) {
        stop = StopCause.STOP_TOKEN;
      } else if (!params.stopTexts().isEmpty() && completesStopText(token)) {
        stop = StopCause.STOP_TEXT;
      } else if (!params.stopStrings().isEmpty() && tailHasStopString()) {
        stop = StopCause.STOP_STRING;
      } else if (g >= params.maxNewTokens()) {
        stop = StopCause.MAX_TOKENS;
      } else if (prefixLength + g >= maxPositions) {
        stop = StopCause.CONTEXT;
      }
    }

    /** Whether {@code token}, just added, completed a stop text (none was complete before it). */
    private boolean completesStopText(int token) {
      StopTextIndex index =
          stopTextIndex.orElseThrow(() -> new IllegalStateException("stop texts need a tokenizer to decode text"));
      for (String s : params.stopTexts()) {
        if (index.mayComplete(s, token) && tailContains(params.stopTexts())) {
          return true;
        }
      }
      return false;
    }

    private boolean tailHasStopString() {
      return tailContains(params.stopStrings());
    }

    /** Whether the generated text's tail holds one of {@code texts}. */
    private boolean tailContains(List<String> texts) {
      TextTokenizer t =
          tokenizer.orElseThrow(
              () -> new IllegalStateException("stop strings need a tokenizer to decode text"));
      int longest = 0;
      for (String s : texts) {
        longest = Math.max(longest, s.length());
      }
      int g = history.generatedCount();
      int from = Math.max(0, g - (longest + 8));
      String tail = t.decode(history.generated(), from, g);
      for (String s : texts) {
        if (tail.contains(s)) {
          return true;
        }
      }
      return false;
    }

    int[] generated() {
      return Arrays.copyOf(history.generated(), history.generatedCount());
    }

    Generation result() {
      int[] ids = generated();
      String text = tokenizer.map(t -> t.decode(ids)).orElse("");
      if (stop == StopCause.STOP_STRING) {
        int cut = text.length();
        for (String s : params.stopStrings()) {
          int at = text.indexOf(s);
          if (at >= 0) {
            cut = Math.min(cut, at);
          }
        }
        text = text.substring(0, cut);
      }
      return new Generation(ids, Arrays.copyOf(logProbs, ids.length), text, stop, state);
    }
  }

  /** Prefix tokens followed by generated tokens, growing as the row samples. */
  private static final class History implements TokenHistory {
    private final int[] prefix;
    private int[] generated;
    private int count;

    History(int[] prefix, int maxNew) {
      this.prefix = prefix;
      this.generated = new int[Math.min(maxNew, 1024)];
    }

    void add(int token) {
      if (count == generated.length) {
        generated = Arrays.copyOf(generated, generated.length * 2);
      }
      generated[count++] = token;
    }

    int[] generated() {
      return generated;
    }

    @Override
    public int size() {
      return prefix.length + count;
    }

    @Override
    public int get(int index) {
      return index < prefix.length ? prefix[index] : generated[index - prefix.length];
    }

    @Override
    public int prefixLength() {
      return prefix.length;
    }
  }

  /** The state of one {@link #generate} call. */
  private final class Batch {
    private final List<Row> rows = new ArrayList<>();
    private NDManager manager;
    private NDArray[] keys;
    private NDArray[] values;
    private NDArray mask;
    private List<Row> slotRows = new ArrayList<>();
    private int promptEnd;

    Batch(List<GenerationRequest> requests) {
      for (GenerationRequest r : requests) {
        rows.add(new Row(r));
      }
    }

    List<Generation> run() {
      try {
        List<Row> live = GradientLock.shared(this::prefillAndSampleFirst);
        if (!live.isEmpty()) {
          decode(live);
        }
        List<Generation> out = new ArrayList<>();
        for (Row row : rows) {
          out.add(row.result());
        }
        return out;
      } finally {
        if (manager != null) {
          GradientLock.shared(() -> {
            manager.close();
            return null;
          });
        }
      }
    }

    /** Completes every prefix, samples each row's first token; returns the rows still going. */
    private List<Row> prefillAndSampleFirst() {
      for (Row row : rows) {
        completeNoGrad(row.prefix);
        row.logits = row.prefix.lastLogits();
        row.logSumExp = logSumExp(row.logits);
      }
      List<Row> live = new ArrayList<>();
      for (Row row : rows) {
        row.sampleNext();
        stats.addSampled(1);
        if (row.stop == null) {
          live.add(row);
        } else if (row.request.keepState()) {
          row.state = Optional.of(stateFromPrefix(row));
        }
      }
      return live;
    }

    private void decode(List<Row> live) {
      promptEnd = 0;
      int feedMax = 0;
      for (Row row : live) {
        promptEnd = Math.max(promptEnd, row.prefixLength);
        int rowFeeds = Math.min(row.params.maxNewTokens(), maxPositions - row.prefixLength) - 1;
        feedMax = Math.max(feedMax, rowFeeds);
      }
      int slots = promptEnd + Math.max(feedMax, 1);
      GradientLock.shared(() -> {
        manager = root.newSubManager();
        allocate(live, slots);
        return null;
      });
      for (int t = 0; !slotRows.stream().allMatch(r -> r.stop != null); t++) {
        int step = t;
        GradientLock.shared(() -> {
          decodeStep(step);
          return null;
        });
      }
    }

    /** One forward pass for every live row, then each samples its next token. */
    private void decodeStep(int t) {
      float[][] next = step(t);
      int finished = 0;
      for (int i = 0; i < slotRows.size(); i++) {
        Row row = slotRows.get(i);
        if (row.stop != null) {
          finished++;
          continue;
        }
        row.logits = next[i];
        row.logSumExp = next[slotRows.size()][i];
        row.sampleNext();
        stats.addSampled(1);
        if (row.stop != null) {
          finished++;
          if (row.request.keepState()) {
            row.state = Optional.of(stateFromBuffer(row));
          }
        }
      }
      if (finished > 0 && finished * 4 >= slotRows.size() && finished < slotRows.size()) {
        compact();
      }
    }

    private void allocate(List<Row> live, int slots) {
      LlamaConfig c = model.config();
      Shape shape = new Shape(live.size(), c.numKeyValueHeads(), slots, c.headDim());
      keys = new NDArray[layers];
      values = new NDArray[layers];
      for (int l = 0; l < layers; l++) {
        keys[l] = manager.zeros(shape);
        values[l] = manager.zeros(shape);
      }
      int[] first = new int[live.size()];
      for (int i = 0; i < live.size(); i++) {
        Row row = live.get(i);
        row.slotRow = i;
        row.firstSlot = promptEnd - row.prefixLength;
        first[i] = row.firstSlot;
        NDIndex where = new NDIndex("{}:{}, :, {}:{}, :", i, i + 1, row.firstSlot, promptEnd);
        NDArray[] k = row.prefix.keys();
        NDArray[] v = row.prefix.values();
        for (int l = 0; l < layers; l++) {
          keys[l].set(where, k[l]);
          values[l].set(where, v[l]);
        }
      }
      mask = dev.longdpo.model.nn.Masks.leftPadded(manager, first, slots);
      slotRows = new ArrayList<>(live);
    }

    /**
     * Feeds every row's last sampled token at slot {@code promptEnd + t}.
     *
     * @return per row the next-token logits, then one extra row holding each row's log-sum-exp
     */
    private float[][] step(int t) {
      int b = slotRows.size();
      int slot = promptEnd + t;
      long[] ids = new long[b];
      int[] positions = new int[b];
      for (int i = 0; i < b; i++) {
        Row row = slotRows.get(i);
        int g = row.history.generatedCount();
        ids[i] = row.history.get(row.prefixLength + g - 1);
        positions[i] = Math.min(row.prefixLength + g - 1, maxPositions - 1);
      }
      try (NDManager step = manager.newSubManager()) {
        NDArray input = step.create(ids, new Shape(b, 1));
        NDArray stepMask = mask.get(step, new NDIndex(":, :, :, :{}", slot + 1));
        NDArray logits = model.decodeLogits(input, positions, stepMask, new SlotKv(slot, step));
        NDArray lse = logits.get(":, 0").sub(logits.logSoftmax(1).get(":, 0"));
        float[] flat = logits.toFloatArray();
        int v = (int) logits.getShape().get(1);
        float[][] out = new float[b + 1][];
        for (int i = 0; i < b; i++) {
          out[i] = Arrays.copyOfRange(flat, i * v, (i + 1) * v);
        }
        out[b] = lse.toFloatArray();
        stats.addDecodeStep(b);
        return out;
      }
    }

    /** Writes one step's keys and values in place and attends over the filled slots. */
    private final class SlotKv implements DecodeKv {
      private final NDIndex at;
      private final NDIndex filled;
      private final NDManager step;

      SlotKv(int slot, NDManager step) {
        this.at = new NDIndex(":, :, {}", slot);
        this.filled = new NDIndex(":, :, :{}", slot + 1);
        this.step = step;
      }

      @Override
      public NDArray[] write(int layer, NDArray k, NDArray v) {
        keys[layer].set(at, k);
        values[layer].set(at, v);
        return new NDArray[] {keys[layer].get(step, filled), values[layer].get(step, filled)};
      }
    }

    /** Drops finished rows from the buffer (a copy of the live rows). */
    private void compact() {
      List<Row> keep = new ArrayList<>();
      for (Row row : slotRows) {
        if (row.stop == null) {
          keep.add(row);
        }
      }
      long[] idx = new long[keep.size()];
      for (int i = 0; i < keep.size(); i++) {
        idx[i] = keep.get(i).slotRow;
      }
      NDManager next = root.newSubManager();
      NDArray index = next.create(idx);
      for (int l = 0; l < layers; l++) {
        keys[l] = keys[l].get(next, new NDIndex("{}", index));
        values[l] = values[l].get(next, new NDIndex("{}", index));
      }
      mask = mask.get(next, new NDIndex("{}", index));
      manager.close();
      manager = next;
      for (int i = 0; i < keep.size(); i++) {
        keep.get(i).slotRow = i;
      }
      slotRows = keep;
    }

    /** Prefix + output of a row that finished inside the buffer, with its cache copied out. */
    private PrefixState stateFromBuffer(Row row) {
      int[] ids = concat(row.prefix.tokensView(), row.generated());
      int cached = ids.length - 1;
      NDIndex range =
          new NDIndex(
              "{}:{}, :, {}:{}, :",
              row.slotRow,
              row.slotRow + 1,
              row.firstSlot,
              row.firstSlot + cached);
      return copyState(ids, cached, keys, values, range);
    }

    /** Prefix + the single token of a row that finished before decoding began. */
    private PrefixState stateFromPrefix(Row row) {
      int[] ids = concat(row.prefix.tokensView(), row.generated());
      return copyState(
          ids, row.prefixLength, row.prefix.keys(), row.prefix.values(), new NDIndex(":, :, :, :"));
    }

    private PrefixState copyState(
        int[] ids, int cached, NDArray[] fromKeys, NDArray[] fromValues, NDIndex range) {
      PrefixState s = new PrefixState(ids, bytesPerToken);
      NDManager owner = root.newSubManager();
      NDArray[] k = new NDArray[layers];
      NDArray[] v = new NDArray[layers];
      for (int l = 0; l < layers; l++) {
        try (NDArray kv = fromKeys[l].get(owner, range);
            NDArray vv = fromValues[l].get(owner, range)) {
          k[l] = kv.duplicate();
          v[l] = vv.duplicate();
        }
      }
      s.setCache(owner, k, v, cached, null);
      return s;
    }
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static float logSumExp(float[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : logits) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (float v : logits) {
      sum += Math.exp(v - max);
    }
    return (float) (max + Math.log(sum));
  }
}
