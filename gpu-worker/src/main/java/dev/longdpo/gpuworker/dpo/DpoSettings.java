package dev.longdpo.gpuworker.dpo;

import com.typesafe.config.Config;
import dev.longdpo.config.Validate;

/** The trainer's settings, read once from {@code longdpo.train} (meanings in reference.conf). */
public record DpoSettings(
    double beta,
    double labelSmoothing,
    double nllWeight,
    double learningRate,
    int warmupSteps,
    double minLrRatio,
    double weightDecay,
    double maxGradNorm,
    int batchPairs,
    int microBatchTokens,
    int epochs,
    boolean prefixSharing,
    int checkpointEvery,
    int maxNanInARow,
    int streamWindow,
    PairWeighting pairWeighting,
    boolean verifyGradients) {

  /** Reads and validates {@code longdpo.train}. */
  public static DpoSettings create(Config c) {
    String p = "longdpo.train.";
    String device = Validate.nonEmptyString(c, p + "device");
    Validate.check(c, p + "device", device.equals("cpu"), "cpu (no CUDA libtorch is available here)");
    return new DpoSettings(
        Validate.positiveDouble(c, p + "beta"),
        Validate.doubleInRange(c, p + "label-smoothing", 0, 0.5),
        Validate.doubleInRange(c, p + "nll-weight", 0, 100),
        Validate.positiveDouble(c, p + "learning-rate"),
        Validate.nonNegativeInt(c, p + "warmup-steps"),
        Validate.doubleInRange(c, p + "min-lr-ratio", 0, 1),
        Validate.doubleInRange(c, p + "weight-decay", 0, 1),
        Validate.doubleInRange(c, p + "max-grad-norm", 0, 1e9),
        Validate.intInRange(c, p + "batch-pairs", 1, 4096),
        microBatchTokens(c, p + "micro-batch-tokens"),
        Validate.intInRange(c, p + "epochs", 1, 1000),
        Validate.bool(c, p + "prefix-sharing"),
        Validate.positiveInt(c, p + "checkpoint-every"),
        Validate.positiveInt(c, p + "max-nan-in-a-row"),
        Validate.intInRange(c, p + "stream-window", 1, 1 << 20),
        new PairWeighting(
            Validate.doubleInRange(c, p + "prompt-weight-exponent", 0, 1),
            Validate.doubleInRange(c, p + "stop-pair-weight", 0.01, 100)),
        Validate.bool(c, p + "verify-gradients"));
  }

  /** A copy with another beta (ablation variants). */
  public DpoSettings withBeta(double b) {
    return new DpoSettings(b, labelSmoothing, nllWeight, learningRate, warmupSteps, minLrRatio, weightDecay,
        maxGradNorm, batchPairs, microBatchTokens, epochs, prefixSharing, checkpointEvery, maxNanInARow, streamWindow, pairWeighting, verifyGradients);
  }

  /** A copy with another learning rate. */
  public DpoSettings withLearningRate(double lr) {
    return new DpoSettings(beta, labelSmoothing, nllWeight, lr, warmupSteps, minLrRatio, weightDecay,
        maxGradNorm, batchPairs, microBatchTokens, epochs, prefixSharing, checkpointEvery, maxNanInARow, streamWindow, pairWeighting, verifyGradients);
  }

  /** A copy with another number of epochs. */
  public DpoSettings withEpochs(int e) {
    return new DpoSettings(beta, labelSmoothing, nllWeight, learningRate, warmupSteps, minLrRatio, weightDecay,
        maxGradNorm, batchPairs, microBatchTokens, e, prefixSharing, checkpointEvery, maxNanInARow, streamWindow, pairWeighting, verifyGradients);
  }

  /** A copy with prefix sharing on or off. */
  public DpoSettings withPrefixSharing(boolean on) {
    return new DpoSettings(beta, labelSmoothing, nllWeight, learningRate, warmupSteps, minLrRatio, weightDecay,
        maxGradNorm, batchPairs, microBatchTokens, epochs, on, checkpointEvery, maxNanInARow, streamWindow, pairWeighting, verifyGradients);
  }

  /** A copy with another NLL weight. */
  public DpoSettings withNllWeight(double w) {
    return new DpoSettings(beta, labelSmoothing, w, learningRate, warmupSteps, minLrRatio, weightDecay,
        maxGradNorm, batchPairs, microBatchTokens, epochs, prefixSharing, checkpointEvery, maxNanInARow, streamWindow, pairWeighting, verifyGradients);
  }

  /** A copy with another micro-batch size (0: the whole batch in one pass). */
  public DpoSettings withMicroBatchTokens(int n) {
    return new DpoSettings(beta, labelSmoothing, nllWeight, learningRate, warmupSteps, minLrRatio, weightDecay,
        maxGradNorm, batchPairs, n, epochs, prefixSharing, checkpointEvery, maxNanInARow, streamWindow, pairWeighting, verifyGradients);
  }

  /** A copy with another checkpoint interval. */
  public DpoSettings withCheckpointEvery(int n) {
    return new DpoSettings(beta, labelSmoothing, nllWeight, learningRate, warmupSteps, minLrRatio, weightDecay,
        maxGradNorm, batchPairs, microBatchTokens, epochs, prefixSharing, n, maxNanInARow, streamWindow, pairWeighting, verifyGradients);
  }

  private static int microBatchTokens(Config c, String key) {
    int n = Validate.intInRange(c, key, 0, 10_000_000);
    Validate.check(c, key, n == 0 || n >= 256, "0 (the whole batch at once) or at least 256");
    return n;
  }
}
