package dev.longdpo.model.train;

/**
 * AdamW and its learning-rate schedule.
 *
 * @param learningRate peak learning rate, reached at the end of warm-up
 * @param beta1 first-moment decay
 * @param beta2 second-moment decay
 * @param eps added to the second moment's square root (PyTorch's placement)
 * @param weightDecay decoupled weight decay for matrices (norm scales are not decayed)
 * @param maxGradNorm clip the global gradient norm to this; 0 or less disables clipping
 * @param warmupSteps linear warm-up from 0 to the peak
 * @param totalSteps the cosine decay ends here; steps past it stay at the floor
 * @param minLrRatio the floor, as a fraction of the peak
 */
public record OptimizerSettings(
    double learningRate,
    double beta1,
    double beta2,
    double eps,
    double weightDecay,
    double maxGradNorm,
    int warmupSteps,
    int totalSteps,
    double minLrRatio) {

  /** Validates ranges. */
  public OptimizerSettings {
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException("learning rate: " + learningRate + " must be > 0");
    }
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("betas must be in [0, 1): " + beta1 + ", " + beta2);
    }
    if (!(eps > 0)) {
      throw new IllegalArgumentException("eps: " + eps + " must be > 0");
    }
    if (weightDecay < 0) {
      throw new IllegalArgumentException("weight decay: " + weightDecay + " must be >= 0");
    }
    if (warmupSteps < 0 || totalSteps < 1) {
      throw new IllegalArgumentException(
          "warm-up " + warmupSteps + " must be >= 0 and total steps " + totalSteps + " >= 1");
    }
    if (!(minLrRatio >= 0 && minLrRatio <= 1)) {
      throw new IllegalArgumentException("min lr ratio: " + minLrRatio + " must be in [0, 1]");
    }
  }

  /** PyTorch's AdamW defaults (betas 0.9/0.999, eps 1e-8), no decay, clip at 1, no warm-up. */
  public static OptimizerSettings of(double learningRate, int totalSteps) {
    return new OptimizerSettings(learningRate, 0.9, 0.999, 1e-8, 0.0, 1.0, 0, totalSteps, 0.0);
  }

  /** A copy with a warm-up. */
  public OptimizerSettings withWarmup(int steps) {
    return new OptimizerSettings(
        learningRate, beta1, beta2, eps, weightDecay, maxGradNorm, steps, totalSteps, minLrRatio);
  }

  /** A copy with weight decay. */
  public OptimizerSettings withWeightDecay(double decay) {
    return new OptimizerSettings(
        learningRate, beta1, beta2, eps, decay, maxGradNorm, warmupSteps, totalSteps, minLrRatio);
  }

  /** A copy with another clipping norm. */
  public OptimizerSettings withMaxGradNorm(double norm) {
    return new OptimizerSettings(
        learningRate, beta1, beta2, eps, weightDecay, norm, warmupSteps, totalSteps, minLrRatio);
  }

  /** A copy with another schedule length and floor. */
  public OptimizerSettings withSchedule(int total, double floorRatio) {
    return new OptimizerSettings(
        learningRate, beta1, beta2, eps, weightDecay, maxGradNorm, warmupSteps, total, floorRatio);
  }

  /**
   * The learning rate for the step numbered {@code step} (1-based): linear warm-up, then cosine
   * decay from the peak to {@code minLrRatio · peak} at {@code totalSteps}.
   */
  public double learningRateAt(long step) {
    if (warmupSteps > 0 && step <= warmupSteps) {
      return learningRate * step / warmupSteps;
    }
    double floor = learningRate * minLrRatio;
    long decaySteps = Math.max(1, totalSteps - warmupSteps);
    double progress = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
    return floor + (learningRate - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
  }
}
