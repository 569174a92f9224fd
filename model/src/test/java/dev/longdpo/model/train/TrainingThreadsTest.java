package dev.longdpo.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.LlamaConfig;
import dev.longdpo.model.checkpoint.HostTensor;
import dev.longdpo.model.runtime.DjlRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A training step takes its own thread count while it holds the lock alone, and the weights do not
 * depend on it: the demo's steps run on every core, its search and evaluation on one thread each.
 * At the testbed base's shape (hidden 128, 4 layers, vocabulary 1424) and 1,024 tokens a batch,
 * large enough that PyTorch splits its kernels over threads.
 */
class TrainingThreadsTest {

  private static final LlamaConfig BASE_SHAPE = LlamaConfig.of(1424, 128, 384, 4, 4, 2, 512)
      .withSpecialTokens(Optional.of(1), List.of(2), Optional.of(0));

  private static SequenceBatch batch(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<int[]> rows = new ArrayList<>();
    int[] first = new int[4];
    for (int i = 0; i < 4; i++) {
      int[] ids = new int[200 + 18 * i];
      for (int t = 0; t < ids.length; t++) {
        ids[t] = 3 + r.nextInt(1421);
      }
      rows.add(ids);
      first[i] = 20;
    }
    return SequenceBatch.of(rows, first, 0);
  }

  private static Map<String, HostTensor> trainedWeights(int threads, int[] seenThreads) {
    try (LanguageModel m = LanguageModel.random(BASE_SHAPE, 5, Optional.empty(), true);
        PolicyTrainer t = new PolicyTrainer(m, OptimizerSettings.of(3e-3, 100))) {
      t.stepThreads(threads);
      for (int step = 0; step < 3; step++) {
        SequenceBatch b = batch(step);
        StepResult r = t.step(nd -> {
          seenThreads[0] = DjlRuntime.intraOpThreads();
          NDArray[] lp = TokenLogProbs.compute(m.network(), nd, b);
          return LossFunction.Output.of(lp[0].sum().neg().div(lp[1].sum()));
        });
        assertThat(r.skipped()).isFalse();
      }
      return m.weights();
    }
  }

  @Test
  void aStepRunsOnItsOwnThreadCountAndTheWeightsDoNotDependOnIt() {
    int before = DjlRuntime.intraOpThreads();
    int[] seen = new int[1];
    Map<String, HostTensor> one = trainedWeights(1, seen);
    assertThat(seen[0]).isEqualTo(1);
    Map<String, HostTensor> two = trainedWeights(2, seen);
    assertThat(seen[0]).as("threads inside the step").isEqualTo(2);
    assertThat(DjlRuntime.intraOpThreads()).as("restored after the step").isEqualTo(before);
    assertThat(two.keySet()).isEqualTo(one.keySet());
    one.forEach((name, w) -> assertThat(two.get(name).data()).as(name).containsExactly(w.data()));
  }

  @Test
  void stepsTakeEveryCoreUnlessConfigured() {
    assertThat(DjlRuntime.trainingThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
  }
}
