package dev.longdpo.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.TinyModels;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A garbage collection between a step's forward and backward pass must not change its gradient.
 * It did while attention scaled its scores with DJL's {@code mul(Number)}: the number's tensor sat
 * on a Java direct buffer that the collection freed while autograd still held the tensor, and the
 * backward pass read whatever reused that memory (docs/reproducibility.md).
 */
class CollectionDuringStepTest {

  private static final int STEPS = 6;

  @Test
  void collectingTheHeapBetweenForwardAndBackwardLeavesTheGradientAsItIs() {
    double[] quiet = norms(false);
    double[] collected = norms(true);
    assertThat(collected).containsExactly(quiet);
  }

  /** Gradient norms of steps on one batch at a learning rate too small to move the weights. */
  private static double[] norms(boolean collect) {
    double[] out = new double[STEPS];
    try (LanguageModel m = LanguageModel.random(TinyModels.tiny(), 4, Optional.empty(), true);
        PolicyTrainer t = new PolicyTrainer(m, OptimizerSettings.of(1e-30, 100))) {
      LossFunction loss = nd -> {
        NDArray[] lp = TokenLogProbs.compute(m.network(), nd, TrainingTest.BATCH);
        NDArray l = lp[0].sum().neg().div(lp[1].sum());
        if (collect) {
          collectAndReuse();
        }
        return LossFunction.Output.of(l);
      };
      for (int i = 0; i < STEPS; i++) {
        StepResult r = t.step(loss);
        out[i] = r.gradNorm();
      }
      assertThat(t.recomputedSteps()).as("steps whose gradient had to be computed again").isZero();
    }
    return out;
  }

  /**
   * A collection, then small native allocations filled with NaN: memory a collected direct
   * buffer gave back is likely among them.
   */
  private static void collectAndReuse() {
    System.gc();
    List<ByteBuffer> fill = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      ByteBuffer b = ByteBuffer.allocateDirect(4);
      b.putFloat(0, Float.NaN);
      fill.add(b);
    }
  }
}
