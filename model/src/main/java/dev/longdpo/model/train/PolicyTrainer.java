package dev.longdpo.model.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.config.files.AtomicDirectory;
import dev.longdpo.model.checkpoint.CheckpointWriter;
import dev.longdpo.model.runtime.DjlRuntime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One model under training: forward and backward of a loss, global-norm clipping, an AdamW update
 * at the scheduled rate, and checkpoints that include the optimizer state.
 *
 * <p>Confined to one thread (an actor). Steps in one JVM are serialized by {@link GradientLock}.
 */
public final class PolicyTrainer implements AutoCloseable {

  private final LanguageModel model;
  private final AdamW optimizer;
  /**
   * How far a recomputed outlier's norm may be from the first (relative) and still be the same
   * spike: a spoiled pass is off by orders of magnitude; a second pass of a genuine spike once came
   * out different (TrainingTest, one run of about ten; by how much was not recorded).
   */
  private static final double SAME_SPIKE = 1e-3;

  private long recomputed;
  private long spoiled;
  private final NormHistory norms = new NormHistory();
  private boolean verify;
  private int stepThreads = DjlRuntime.trainingThreads();

  /** Trains {@code model}, which must be trainable; the trainer does not own it. */
  public PolicyTrainer(LanguageModel model, OptimizerSettings settings) {
    this.model = model;
    this.optimizer = new AdamW(model, settings);
  }

  /**
   * Whether every step's gradient is computed twice and kept only when both passes give the same
   * norm (else computed again, up to {@link #MAX_VERIFY_ATTEMPTS} passes): a spoiled backward
   * pass then never reaches the weights.
   */
  public void verifyGradients(boolean on) {
    this.verify = on;
  }

  private static final int MAX_VERIFY_ATTEMPTS = 6;

  /**
   * Sets the intra-op threads each step's tensor operations use (default {@link
   * DjlRuntime#trainingThreads}); the weights do not depend on it.
   */
  public void stepThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("step threads: " + threads);
    }
    this.stepThreads = threads;
  }

  /** The model being trained. */
  public LanguageModel model() {
    return model;
  }

  /** The optimizer. */
  public AdamW optimizer() {
    return optimizer;
  }

  /** Updates applied so far. */
  public long stepCount() {
    return optimizer.stepCount();
  }

  /**
   * Runs one step. A loss or gradient that is not finite skips the update (gradients cleared) and
   * reports {@code skipped}; the caller counts and decides when to give up.
   */
  public StepResult step(LossFunction lossFunction) {
    return step(List.of(lossFunction));
  }

  /**
   * Runs one step whose loss is the sum of {@code parts} (gradient accumulation): each part is
   * computed, differentiated and freed before the next, so the step holds one part's activations,
   * not the whole batch's. Each part's loss must already carry its share of the batch's
   * normalization; the step's loss and each metric are the sums over the parts.
   */
  public StepResult step(List<LossFunction> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("a step needs at least one loss part");
    }
    return GradientLock.run(() -> stepLocked(parts));
  }

  /**
   * The step, on {@link #stepThreads} threads: it holds the lock alone, so no inference runs beside
   * it, and the actors' one thread each would leave the other cores idle meanwhile. PyTorch also
   * makes the count the default of threads that have not run a parallel operation yet: one that
   * runs its first outside the lock (loading a model) while a step runs keeps the step's count. That
   * moves speed, not results: decoding, like training, gives the same bits with 1 or 2 threads at
   * the testbed's shapes (docs/footprint.md).
   */
  private StepResult stepLocked(List<LossFunction> parts) {
    int before = DjlRuntime.setIntraOpThreads(stepThreads);
    try {
      return stepOnThreads(parts);
    } finally {
      DjlRuntime.setIntraOpThreads(before);
    }
  }

  private StepResult stepOnThreads(List<LossFunction> parts) {
    long next = optimizer.stepCount() + 1;
    double lr = optimizer.settings().learningRateAt(next);
    double suspect = Double.NaN; // the norm of an attempt that looked spoiled
    double previous = Double.NaN; // verifying: the norm of the previous pass
    for (int attempt = 0; ; attempt++) {
      try (NDManager step = model.manager().newSubManager()) {
        double loss = 0;
        Map<String, Double> metrics = new LinkedHashMap<>();
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
          for (int i = 0; i < parts.size(); i++) {
            // A manager per part: its activations are freed once its gradient is added.
            try (NDManager part = step.newSubManager()) {
              LossFunction.Output out = parts.get(i).compute(part);
              double partLoss = out.loss().getFloat();
              loss += partLoss;
              for (Map.Entry<String, NDArray> m : out.metrics().entrySet()) {
                metrics.merge(m.getKey(), (double) m.getValue().getFloat(), Double::sum);
              }
              if (!Double.isFinite(partLoss)) {
                if (i > 0) {
                  optimizer.zeroGrad(); // the earlier parts' gradients
                }
                return new StepResult(optimizer.stepCount(), partLoss, Double.NaN, lr, true, metrics);
              }
              collector.backward(out.loss());
            }
          }
        }
        double norm = optimizer.clipGradNorm(optimizer.settings().maxGradNorm());
        if (!Double.isFinite(norm)) {
          optimizer.zeroGrad();
          if (verify && attempt > 0 && attempt < MAX_VERIFY_ATTEMPTS - 1) {
            // Verifying, a later pass came out non-finite after a finite one: a spoiled pass, not
            // a step to skip.
            spoiled++;
            recomputed++;
            continue;
          }
          if (attempt == 0) {
            // A finite loss with a non-finite gradient. Seen when inference overlapped a step
            // (GradientLock now prevents that) and, rarely, in a step alone under the G1
            // collector, which now and then spoils a backward pass (docs/reproducibility.md;
            // longdpo runs on the Parallel collector). Computing the same step again has always
            // given the right gradient. Recompute once before skipping.
            recomputed++;
            continue;
          }
          return new StepResult(optimizer.stepCount(), loss, norm, lr, true, metrics);
        }
        if (attempt == 0 && norms.isOutlier(norm)) {
          // A finite gradient far above the recent ones: what a spoiled backward pass looks like
          // when it does not overflow (seen with small heaps, docs/reproducibility.md). Compute
          // the step again; a genuine spike comes out the same and is kept.
          optimizer.zeroGrad();
          suspect = norm;
          recomputed++;
          continue;
        }
        if (verify && attempt < MAX_VERIFY_ATTEMPTS - 1 && Double.compare(previous, norm) != 0) {
          // Verifying: keep a gradient only once two passes in a row agree.
          if (Double.isFinite(previous)) {
            spoiled++;
            recomputed++;
          }
          previous = norm;
          optimizer.zeroGrad();
          continue;
        }
        if (attempt > 0 && Double.isFinite(suspect) && Math.abs(suspect - norm) > SAME_SPIKE * norm) {
          // The outlier did not come back: it was a spoiled pass. (A genuine spike comes back
          // within rounding; bit equality is not asked here, only when verifying.)
          spoiled++;
        }
        norms.add(norm);
        optimizer.update(lr);
        optimizer.zeroGrad();
        return new StepResult(optimizer.stepCount(), loss, norm, lr, false, metrics);
      }
    }
  }

  /**
   * Steps computed again: their gradient came out non-finite with a finite loss, or its norm was
   * far above the recent ones ({@link NormHistory}).
   */
  public long recomputedSteps() {
    return recomputed;
  }

  /** Recomputed steps whose second gradient was far from the first: spoiled passes caught. */
  public long spoiledSteps() {
    return spoiled;
  }

  /**
   * Saves model, tokenizer and optimizer state atomically; {@code extra} adds files (stream
   * offsets, say) inside the same atomic write.
   */
  public void save(Path dir, AtomicDirectory.Filler extra) throws IOException {
    model.save(
        dir,
        CheckpointWriter.DEFAULT_MAX_SHARD_BYTES,
        tmp -> {
          optimizer.save(tmp);
          extra.fill(tmp);
        });
  }

  /**
   * What a checkpoint must carry besides the optimizer for the next steps to come out as an
   * uninterrupted run's: the recent gradient norms the outlier check compares with, and the
   * counters of recomputed and spoiled steps.
   */
  public record History(double[] recentGradNorms, long recomputedSteps, long spoiledSteps) {}

  /** The history to save with a checkpoint. */
  public History history() {
    return new History(norms.values(), recomputed, spoiled);
  }

  /** Restores the history saved with a checkpoint. */
  public void restoreHistory(History h) {
    norms.restore(h.recentGradNorms());
    recomputed = h.recomputedSteps();
    spoiled = h.spoiledSteps();
  }

  /** Restores the optimizer state saved with a checkpoint (the model loads it weights itself). */
  public void restoreOptimizer(Path dir) {
    optimizer.load(dir);
  }

  @Override
  public void close() {
    optimizer.close();
  }
}
