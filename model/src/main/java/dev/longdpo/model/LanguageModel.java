package dev.longdpo.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.longdpo.config.files.AtomicDirectory;
import dev.longdpo.model.checkpoint.CheckpointException;
import dev.longdpo.model.checkpoint.CheckpointWriter;
import dev.longdpo.model.checkpoint.HostTensor;
import dev.longdpo.model.checkpoint.LlamaConfigJson;
import dev.longdpo.model.checkpoint.WeightFiles;
import dev.longdpo.model.generate.Generation;
import dev.longdpo.model.generate.GenerationRequest;
import dev.longdpo.model.generate.Generator;
import dev.longdpo.model.generate.ModelStats;
import dev.longdpo.model.generate.PrefixState;
import dev.longdpo.model.generate.Score;
import dev.longdpo.model.generate.ScoreRequest;
import dev.longdpo.model.nn.LlamaModel;
import dev.longdpo.model.nn.SeededWeights;
import dev.longdpo.model.nn.WeightSource;
import dev.longdpo.model.runtime.DjlRuntime;
import dev.longdpo.model.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Llama-architecture language model in this process: loads and saves Hugging Face checkpoints,
 * generates in batches with a key/value cache, scores continuations, and exposes its parameters to
 * the training code.
 *
 * <p>A model and everything made from it (prefix states) are meant for one thread at a time, as an
 * actor's state. Closing the model frees its native memory.
 */
public final class LanguageModel implements AutoCloseable {

  /** {@code generation_config.json}, copied through unchanged. */
  public static final String GENERATION_CONFIG = "generation_config.json";

  private static final List<String> TOKENIZER_FILES =
      List.of("tokenizer_config.json", "special_tokens_map.json");

  private final LlamaConfig config;
  private final NDManager manager;
  private final LlamaModel network;
  private final Optional<TextTokenizer> tokenizer;
  private final Map<String, String> sideFiles;
  private final ModelStats stats = new ModelStats();
  private final Generator generator;
  private final boolean trainable;
  /** The directory {@link #load} read, so a missing tokenizer is named as a file; null otherwise. */
  private Path loadedFrom;

  private LanguageModel(
      LlamaConfig config,
      NDManager manager,
      LlamaModel network,
      Optional<TextTokenizer> tokenizer,
      Map<String, String> sideFiles,
      boolean trainable) {
    this.config = config;
    this.manager = manager;
    this.network = network;
    this.tokenizer = tokenizer;
    this.sideFiles = Map.copyOf(sideFiles);
    this.trainable = trainable;
    this.generator = new Generator(network, manager, tokenizer, stats);
  }

  /** Loads a checkpoint directory for inference. */
  public static LanguageModel load(Path dir) {
    return load(dir, false);
  }

  /**
   * Loads a checkpoint directory: {@code config.json}, the weights (single or sharded, F32, BF16
   * or F16, computed in F32) and, when present, {@code tokenizer.json} and {@code
   * generation_config.json}. Either everything loads or nothing is kept.
   *
   * @param trainable whether parameters record gradients
   */
  public static LanguageModel load(Path dir, boolean trainable) {
    if (!Files.isDirectory(dir)) {
      throw new CheckpointException(dir, "not a checkpoint directory");
    }
    LlamaConfig config = LlamaConfigJson.read(dir.resolve("config.json"));
    WeightFiles weights = WeightFiles.open(dir);
    Optional<TextTokenizer> tokenizer =
        Files.exists(dir.resolve(TextTokenizer.FILE))
            ? Optional.of(TextTokenizer.load(dir))
            : Optional.empty();
    Map<String, String> side = new LinkedHashMap<>();
    try {
      for (String name : sideFileNames()) {
        Path p = dir.resolve(name);
        if (Files.exists(p)) {
          side.put(name, Files.readString(p));
        }
      }
    } catch (IOException e) {
      tokenizer.ifPresent(TextTokenizer::close);
      throw new CheckpointException(dir, "cannot read side files: " + e.getMessage(), e);
    }
    try {
      LanguageModel model = build(config, weights, tokenizer, side, trainable);
      model.loadedFrom = dir;
      return model;
    } catch (RuntimeException e) {
      tokenizer.ifPresent(TextTokenizer::close);
      throw e;
    }
  }

  /** A model with Hugging Face's random initialization, reproducible from {@code seed}. */
  public static LanguageModel random(
      LlamaConfig config, long seed, Optional<TextTokenizer> tokenizer, boolean trainable) {
    return build(config, new SeededWeights(seed), tokenizer, Map.of(), trainable);
  }

  /** A model whose parameters come from {@code weights}. */
  public static LanguageModel fromWeights(
      LlamaConfig config,
      WeightSource weights,
      Optional<TextTokenizer> tokenizer,
      boolean trainable) {
    return build(config, weights, tokenizer, Map.of(), trainable);
  }

  private static LanguageModel build(
      LlamaConfig config,
      WeightSource weights,
      Optional<TextTokenizer> tokenizer,
      Map<String, String> side,
      boolean trainable) {
    DjlRuntime.engine();
    NDManager manager = NDManager.newBaseManager("PyTorch");
    try {
      LlamaModel network = new LlamaModel(config, manager, weights);
      if (trainable) {
        for (Parameter p : network.namedParameters().values()) {
          p.getArray().setRequiresGradient(true);
        }
      }
      return new LanguageModel(config, manager, network, tokenizer, side, trainable);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  private static List<String> sideFileNames() {
    List<String> names = new java.util.ArrayList<>(TOKENIZER_FILES);
    names.add(GENERATION_CONFIG);
    return names;
  }

  /**
   * Saves a Hugging Face checkpoint atomically: the directory appears complete or not at all.
   * Writes {@code config.json}, {@code model.safetensors} (F32), the tokenizer and side files.
   */
  public void save(Path dir) throws IOException {
    save(dir, CheckpointWriter.DEFAULT_MAX_SHARD_BYTES, d -> {});
  }

  /**
   * Saves atomically, sharding weights above {@code maxShardBytes} and letting {@code extra} add
   * files (optimizer state, say) inside the same atomic write.
   */
  public void save(Path dir, long maxShardBytes, AtomicDirectory.Filler extra) throws IOException {
    Map<String, HostTensor> tensors = weights();
    AtomicDirectory.write(
        dir,
        tmp -> {
          CheckpointWriter.writeConfig(tmp, config);
          CheckpointWriter.writeWeights(tmp, tensors, maxShardBytes);
          if (tokenizer.isPresent()) {
            Files.writeString(tmp.resolve(TextTokenizer.FILE), tokenizer.get().json());
          }
          for (Map.Entry<String, String> e : sideFiles.entrySet()) {
            Files.writeString(tmp.resolve(e.getKey()), e.getValue());
          }
          extra.fill(tmp);
        });
  }

  /** A snapshot of every parameter by Hugging Face name, in Java memory. */
  public Map<String, HostTensor> weights() {
    Map<String, HostTensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> e : network.namedParameters().entrySet()) {
      NDArray a = e.getValue().getArray();
      out.put(e.getKey(), new HostTensor(a.getShape().getShape(), a.toFloatArray()));
    }
    return out;
  }

  /** Overwrites parameters in place from a snapshot taken of a model of the same shape. */
  public void loadWeights(Map<String, HostTensor> tensors) {
    for (Map.Entry<String, Parameter> e : network.namedParameters().entrySet()) {
      HostTensor t = tensors.get(e.getKey());
      NDArray a = e.getValue().getArray();
      if (t == null || !Arrays.equals(t.shape(), a.getShape().getShape())) {
        throw new IllegalArgumentException(e.getKey() + ": missing or of another shape");
      }
      DjlRuntime.withoutGrad(() -> a.set(t.data()));
    }
    network.weightsChanged();
  }

  /** The architecture. */
  public LlamaConfig config() {
    return config;
  }

  /** The tokenizer, if the checkpoint has one. */
  public Optional<TextTokenizer> tokenizer() {
    return tokenizer;
  }

  /** The tokenizer, or an error saying the checkpoint lacks one. */
  public TextTokenizer requireTokenizer() {
    return tokenizer.orElseThrow(
        () -> loadedFrom == null
            ? new IllegalStateException("this model has no tokenizer.json: text needs one")
            : new CheckpointException(loadedFrom.resolve(TextTokenizer.FILE),
                "missing: text in or out of this checkpoint needs its tokenizer (copy the tokenizer.json"
                    + " it was trained with into the directory)"));
  }

  /** An uncached prefix for {@code tokens} (prefilled when first used). */
  public PrefixState prefix(int[] tokens) {
    return generator.prefix(tokens);
  }

  /**
   * The prefix for a prompt text: encoded with the tokenizer's special tokens, and BOS put first
   * if the config names one and the tokenizer did not add it.
   */
  public PrefixState prompt(String text) {
    return prefix(encodePrompt(text));
  }

  /** The ids {@link #prompt} uses. */
  public int[] encodePrompt(String text) {
    int[] ids = requireTokenizer().encode(text, true);
    if (config.bosTokenId().isPresent() && (ids.length == 0 || ids[0] != config.bosTokenId().get())) {
      int[] withBos = new int[ids.length + 1];
      withBos[0] = config.bosTokenId().get();
      System.arraycopy(ids, 0, withBos, 1, ids.length);
      ids = withBos;
    }
    return ids;
  }

  /** Prefills a prefix now, so forks of it start sampling at once. */
  public void complete(PrefixState state) {
    generator.complete(state);
  }

  /** Generates for a batch of requests; see {@link Generator#generate}. */
  public List<Generation> generate(List<GenerationRequest> requests) {
    return generator.generate(requests);
  }

  /** Generates for one request. */
  public Generation generate(GenerationRequest request) {
    return generator.generate(List.of(request)).get(0);
  }

  /** Scores continuations; see {@link Generator#score}. */
  public List<Score> score(List<ScoreRequest> requests) {
    return generator.score(requests);
  }

  /** Work counters. */
  public ModelStats stats() {
    return stats;
  }

  /** Whether parameters record gradients. */
  public boolean trainable() {
    return trainable;
  }

  /** The network, for the training code. */
  public LlamaModel network() {
    return network;
  }

  /** The manager owning the parameters; training creates its state under it. */
  public NDManager manager() {
    return manager;
  }

  @Override
  public void close() {
    manager.close();
    tokenizer.ifPresent(TextTokenizer::close);
  }
}
