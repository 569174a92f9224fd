package dev.longdpo.testbed;

import com.typesafe.config.Config;
import dev.longdpo.config.Validate;
import dev.longdpo.testbed.corpus.FlawRates;
import dev.longdpo.testbed.task.TaskGenerator;
import dev.longdpo.testbed.world.Split;

/**
 * The testbed's settings, read once from {@code longdpo.testbed}.
 *
 * @param trainSeed seed of the search's training prompts (train subjects)
 * @param validationSeed seed of the validation tasks settings are chosen on (validation subjects)
 * @param testSeed seed of the test tasks the reported tables are on (test subjects)
 * @param corpus the pretraining corpus
 * @param maxVocabulary largest tokenizer vocabulary
 * @param model the base model's shape
 * @param pretrain how the base model is trained
 * @param similarityThreshold the memory pool's similarity gate
 */
public record TestbedSettings(
    long trainSeed,
    long validationSeed,
    long testSeed,
    CorpusSettings corpus,
    int maxVocabulary,
    BaseModelSettings model,
    PretrainSettings pretrain,
    double similarityThreshold) {

  /** The corpus: seed, size, sectioned share, flaw rates. */
  public record CorpusSettings(long seed, int documents, double sectionedShare, FlawRates flaws) {}

  /** The base model's shape. */
  public record BaseModelSettings(
      int hiddenSize, int intermediateSize, int layers, int heads, int kvHeads, int maxPositions,
      double ropeTheta, boolean tiedEmbeddings, long initSeed) {}

  /** Pretraining hyper-parameters. */
  public record PretrainSettings(
      int epochs, int batchTokens, double learningRate, int warmupSteps, double minLrRatio,
      double weightDecay, double maxGradNorm, int checkpointEvery, int heldoutDocuments, int sampleTasks,
      int threads) {

    /** Intra-op threads for pretraining: the setting, or every core the JVM sees for 0. */
    public int effectiveThreads() {
      return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
  }

  /** The seed of {@code split}'s tasks. */
  public long taskSeed(Split split) {
    return switch (split) {
      case TRAIN -> trainSeed;
      case VALIDATION -> validationSeed;
      case TEST -> testSeed;
    };
  }

  /** {@code split}'s tasks: from its seed, about its subjects. */
  public TaskGenerator tasks(Split split) {
    return new TaskGenerator(taskSeed(split), split);
  }

  /** Reads and validates {@code longdpo.testbed}. */
  public static TestbedSettings create(Config c) {
    String p = "longdpo.testbed.";
    String f = p + "corpus.flaws.";
    FlawRates flaws;
    try {
      flaws = new FlawRates(
          Validate.doubleInRange(c, f + "repeat-sentence", 0, 1),
          Validate.doubleInRange(c, f + "repeat-paragraph", 0, 1),
          Validate.doubleInRange(c, f + "off-topic", 0, 1),
          Validate.doubleInRange(c, f + "contradiction", 0, 1),
          Validate.doubleInRange(c, f + "stop-short", 0, 1),
          Validate.doubleInRange(c, f + "run-long", 0, 1),
          Validate.doubleInRange(c, f + "missing-section", 0, 1),
          Validate.doubleInRange(c, f + "misplaced-section", 0, 1),
          Validate.doubleInRange(c, f + "ignored-instruction", 0, 1));
    } catch (IllegalArgumentException e) {
      throw Validate.bad(c, f + "stop-short", "stop-short + run-long <= 1");
    }
    int heads = Validate.intInRange(c, p + "base-model.heads", 1, 256);
    int hidden = Validate.positiveInt(c, p + "base-model.hidden-size");
    Validate.check(c, p + "base-model.hidden-size", hidden % heads == 0, "a multiple of base-model.heads");
    int kv = Validate.intInRange(c, p + "base-model.kv-heads", 1, heads);
    Validate.check(c, p + "base-model.kv-heads", heads % kv == 0, "a divisor of base-model.heads");
    return new TestbedSettings(
        Validate.nonNegativeLong(c, p + "tasks.train-seed"),
        Validate.nonNegativeLong(c, p + "tasks.validation-seed"),
        Validate.nonNegativeLong(c, p + "tasks.test-seed"),
        new CorpusSettings(
            Validate.nonNegativeLong(c, p + "corpus.seed"),
            Validate.positiveInt(c, p + "corpus.documents"),
            Validate.doubleInRange(c, p + "corpus.sectioned-share", 0, 1),
            flaws),
        Validate.intInRange(c, p + "tokenizer.max-vocabulary", 64, 1 << 20),
        new BaseModelSettings(
            hidden,
            Validate.positiveInt(c, p + "base-model.intermediate-size"),
            Validate.intInRange(c, p + "base-model.layers", 1, 128),
            heads,
            kv,
            Validate.intInRange(c, p + "base-model.max-positions", 128, 1 << 16),
            Validate.positiveDouble(c, p + "base-model.rope-theta"),
            Validate.bool(c, p + "base-model.tied-embeddings"),
            Validate.nonNegativeLong(c, p + "base-model.init-seed")),
        new PretrainSettings(
            Validate.intInRange(c, p + "pretrain.epochs", 1, 1000),
            Validate.intInRange(c, p + "pretrain.batch-tokens", 256, 1 << 22),
            Validate.positiveDouble(c, p + "pretrain.learning-rate"),
            Validate.nonNegativeInt(c, p + "pretrain.warmup-steps"),
            Validate.doubleInRange(c, p + "pretrain.min-lr-ratio", 0, 1),
            Validate.doubleInRange(c, p + "pretrain.weight-decay", 0, 1),
            Validate.doubleInRange(c, p + "pretrain.max-grad-norm", 0, 1e9),
            Validate.positiveInt(c, p + "pretrain.checkpoint-every"),
            Validate.positiveInt(c, p + "pretrain.heldout-documents"),
            Validate.nonNegativeInt(c, p + "pretrain.sample-tasks"),
            Validate.intInRange(c, p + "pretrain.threads", 0, 1024)),
        Validate.doubleInRange(c, p + "judge.similarity-threshold", 0, 1));
  }
}
