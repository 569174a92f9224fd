package dev.longdpo.actors.backend;

import dev.longdpo.actors.metrics.NodeMeters;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.generate.Generation;
import dev.longdpo.model.generate.GenerationRequest;
import dev.longdpo.model.generate.LogitsHook;
import dev.longdpo.model.generate.PrefixState;
import dev.longdpo.model.generate.SamplingParams;
import dev.longdpo.model.tokenizer.TextTokenizer;
import dev.longdpo.protocol.search.ExpandJob;
import dev.longdpo.protocol.search.Guidance;
import dev.longdpo.protocol.search.StepDecoding;
import dev.longdpo.protocol.search.StepSample;
import dev.longdpo.testbed.judge.CritiqueHook;
import dev.longdpo.testbed.judge.Suggestion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The in-process policy: the model on this JVM, with each tree node's key/value state cached under
 * its key so that a node's children start from their parent's cache (only the last token of a
 * step, which was sampled but never fed, is prefilled). States live under an LRU budget in bytes;
 * an evicted state is recomputed from its ids if it is needed again.
 *
 * <p>A step ends where its text reaches a blank line (the step includes it, and whatever else the
 * tokenizer merged into that token: a step's text is always its ids' text), at end of sequence, or
 * at the decoding's token limit. Critique guidance becomes a {@link CritiqueHook} on the logits.
 */
public final class ModelPolicy implements Policy {

  /** The text a step ends with: a blank line. */
  static final String STEP_END = "\n\n";

  private final LanguageModel model;
  private final long budgetBytes;
  private final Set<Integer> stepEnds;
  private final Set<Integer> sentenceEnds;
  private final Set<Integer> answerEnds;
  private final LinkedHashMap<String, PrefixState> states = new LinkedHashMap<>(64, 0.75f, true);
  private final Map<String, Integer> nextChild = new HashMap<>();
  private long batches;
  private long expansions;
  private long samples;
  private long sampledTokens;
  private long prefixTokens;
  private long prefixTokensCached;
  private long evictions;

  /**
   * @param model the policy model (not owned: the caller closes it)
   * @param budgetBytes the most native memory cached states may hold
   */
  public ModelPolicy(LanguageModel model, long budgetBytes) {
    this.model = model;
    this.budgetBytes = budgetBytes;
    TextTokenizer tok = model.requireTokenizer();
    // A token that is exactly a blank line ends a step without decoding; any other token that
    // completes one (".\n\n" in byte-level BPE vocabularies, or "\n" after "\n") is found on text.
    this.stepEnds = tok.tokenId(STEP_END).map(Set::of).orElse(Set.of());
    Set<Integer> ends = new HashSet<>();
    for (String s : List.of(".", "!", "?")) {
      tok.tokenId(s).ifPresent(ends::add);
    }
    this.sentenceEnds = Set.copyOf(ends);
    this.answerEnds = Set.copyOf(model.config().eosTokenIds());
  }

  @Override
  public List<List<StepSample>> expand(List<ExpandJob> jobs) {
    batches++;
    List<GenerationRequest> requests = new ArrayList<>();
    List<String> childKeys = new ArrayList<>();
    Set<String> inUse = new HashSet<>();
    for (ExpandJob job : jobs) {
      PrefixState state = stateFor(job);
      inUse.add(job.nodeKey());
      expansions++;
      prefixTokens += job.tokens().length;
      prefixTokensCached += state.isComplete() ? job.tokens().length : state.cachedLength();
      SamplingParams params = params(job.decoding());
      for (int i = 0; i < job.count(); i++) {
        GenerationRequest r = GenerationRequest.of(state, params, mix(job.seed(), i)).keepingState(true);
        if (!job.guidance().isEmpty()) {
          r = r.withHook(hook(job.guidance()));
        }
        requests.add(r);
        int n = nextChild.merge(job.nodeKey(), 1, Integer::sum) - 1;
        childKeys.add(job.nodeKey() + "." + n);
      }
    }
    List<Generation> gens = model.generate(requests);
    List<List<StepSample>> out = new ArrayList<>();
    int g = 0;
    for (ExpandJob job : jobs) {
      List<StepSample> mine = new ArrayList<>();
      for (int i = 0; i < job.count(); i++, g++) {
        Generation gen = gens.get(g);
        String key = childKeys.get(g);
        gen.state().ifPresent(s -> put(key, s));
        inUse.add(key);
        mine.add(new StepSample(gen.tokenIds(), gen.text(), gen.endedWithEos(), gen.sumLogProb(), key));
        samples++;
        sampledTokens += gen.length();
      }
      out.add(mine);
    }
    evict(inUse);
    countBatch(jobs.size(), requests.size(), gens);
    return out;
  }

  /** The node's search meters: jobs, sampled rows and tokens, the cache (see NodeMeters). */
  private void countBatch(int jobs, int rows, List<Generation> gens) {
    long tokens = 0;
    for (Generation gen : gens) {
      tokens += gen.length();
    }
    NodeMeters.count("longdpo.search.expansions", jobs);
    NodeMeters.count("longdpo.search.sampled.tokens", tokens);
    NodeMeters.record("longdpo.search.batch.rows", rows);
    PolicyStats s = stats();
    // Parts: a host's search nodes each hold a policy (longdpo.actors.search-nodes).
    NodeMeters.setPart("longdpo.search.kv.cache.bytes", this, s.cachedBytes());
    NodeMeters.setShare("longdpo.search.kv.cache.hit.share", this, s.prefixTokensCached(), s.prefixTokens());
  }

  private PrefixState stateFor(ExpandJob job) {
    PrefixState s = states.get(job.nodeKey());
    if (s != null && s.length() == job.tokens().length) {
      return s;
    }
    if (s != null) {
      s.close(); // a stale key (e.g. a tree replayed with other settings): start over
    }
    s = model.prefix(job.tokens());
    put(job.nodeKey(), s);
    return s;
  }

  private void put(String key, PrefixState s) {
    PrefixState old = states.put(key, s);
    if (old != null && old != s) {
      old.close();
    }
  }

  /** Drops least recently used states until the budget holds; states in use stay. */
  private void evict(Set<String> inUse) {
    long total = 0;
    for (PrefixState s : states.values()) {
      total += s.sizeInBytes();
    }
    Iterator<Map.Entry<String, PrefixState>> it = states.entrySet().iterator();
    while (total > budgetBytes && it.hasNext()) {
      Map.Entry<String, PrefixState> e = it.next();
      if (inUse.contains(e.getKey())) {
        continue;
      }
      total -= e.getValue().sizeInBytes();
      e.getValue().close();
      it.remove();
      evictions++;
    }
  }

  private SamplingParams params(StepDecoding d) {
    return stepParams(d, stepEnds);
  }

  /** How a step is sampled: {@code stepEnds} are ids that are exactly {@link #STEP_END}. */
  static SamplingParams stepParams(StepDecoding d, Set<Integer> stepEnds) {
    return new SamplingParams(d.temperature(), d.topP(), 0, d.maxStepTokens(), true, stepEnds, List.of(),
        List.of(STEP_END));
  }

  private LogitsHook hook(List<Guidance> guidance) {
    List<Suggestion> suggestions = new ArrayList<>();
    for (Guidance g : guidance) {
      suggestions.add(TestbedCritic.toSuggestion(g));
    }
    return new CritiqueHook(model.requireTokenizer(), suggestions, sentenceEnds, stepEnds, answerEnds, 3f);
  }

  private static long mix(long seed, int i) {
    long z = seed + 0x9E3779B97F4A7C15L * (i + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public void forget(String treeId) {
    String prefix = treeId + "/";
    Iterator<Map.Entry<String, PrefixState>> it = states.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, PrefixState> e = it.next();
      if (e.getKey().startsWith(prefix)) {
        e.getValue().close();
        it.remove();
      }
    }
    nextChild.keySet().removeIf(k -> k.startsWith(prefix));
  }

  @Override
  public PolicyStats stats() {
    long bytes = 0;
    for (PrefixState s : states.values()) {
      bytes += s.sizeInBytes();
    }
    return new PolicyStats(batches, expansions, samples, sampledTokens, prefixTokens, prefixTokensCached, bytes, evictions);
  }

  @Override
  public void close() {
    states.values().forEach(PrefixState::close);
    states.clear();
    NodeMeters.removeParts(this);
  }
}
