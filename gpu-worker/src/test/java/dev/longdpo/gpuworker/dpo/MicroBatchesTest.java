package dev.longdpo.gpuworker.dpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.typesafe.config.ConfigFactory;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.TinyModels;
import dev.longdpo.model.checkpoint.HostTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A step run in groups (gradient accumulation) is the whole batch's step, in less memory. */
class MicroBatchesTest {

  private static TrainingPair pair(int prefix, int chosen, int rejected) {
    return new TrainingPair(new int[prefix], new int[chosen], new int[rejected], -1, -2, 0);
  }

  @Test
  void groupsKeepTheBatchOrderAndStayWithinTheirPaddedSize() {
    List<TrainingPair> batch = List.of(pair(10, 5, 5), pair(20, 5, 5), pair(100, 10, 10), pair(5, 2, 3), pair(5, 2, 3));
    // Shared: one packed row per pair of prefix + chosen + rejected tokens (20, 30, 120, 10, 10).
    List<MicroBatches.Group> groups = MicroBatches.split(batch, 64, true);
    assertThat(pairs(groups)).containsExactly(List.of(batch.get(0), batch.get(1)), List.of(batch.get(2)),
        List.of(batch.get(3), batch.get(4)));
    assertThat(groups).allMatch(MicroBatches.Group::shared);
    // The pair of 120 tokens is above the cap: alone, never dropped.
    assertThat(groups.stream().mapToInt(g -> g.pairs().size()).sum()).isEqualTo(batch.size());
    // Plain: two rows a pair of prefix + the longer step (15, 25, 110, 8, 8); 2 pairs x 2 rows x 25 = 100.
    List<MicroBatches.Group> plain = MicroBatches.split(batch, 100, false);
    assertThat(pairs(plain)).containsExactly(List.of(batch.get(0), batch.get(1)), List.of(batch.get(2)),
        List.of(batch.get(3), batch.get(4)));
    assertThat(plain).noneMatch(MicroBatches.Group::shared);
    assertThat(pairs(MicroBatches.split(batch, 0, true))).containsExactly(batch);
  }

  @Test
  void pairsArePackedOnlyWhereThatSavesAttentionWork() {
    TrainingPair stepwise = pair(400, 40, 50); // 400² >= 2 x 40 x 50
    TrainingPair outcome = pair(60, 700, 650); // whole answers after a prompt
    TrainingPair firstStep = pair(8, 40, 50); // a tree's first step: the prompt alone
    assertThat(MicroBatches.sharingSaves(stepwise)).isTrue();
    assertThat(MicroBatches.sharingSaves(outcome)).isFalse();
    assertThat(MicroBatches.sharingSaves(firstStep)).isFalse();
    List<MicroBatches.Group> groups = MicroBatches.split(List.of(stepwise, stepwise, outcome, firstStep), 0, true);
    assertThat(pairs(groups)).containsExactly(List.of(stepwise, stepwise), List.of(outcome, firstStep));
    assertThat(groups.stream().map(MicroBatches.Group::shared)).containsExactly(true, false);
  }

  private static List<List<TrainingPair>> pairs(List<MicroBatches.Group> groups) {
    return groups.stream().map(MicroBatches.Group::pairs).toList();
  }

  @Test
  void aStepInGroupsEqualsTheWholeBatchsStepToRounding() {
    DpoSettings whole = DpoTrainerTest.SETTINGS.withBeta(0.5).withNllWeight(2).withMicroBatchTokens(0);
    List<TrainingPair> batch = new ArrayList<>();
    try (LanguageModel ref = TinyModels.randomTiny(11)) {
      List<TrainingPair> raw = DpoTrainerTest.pairs(ref, 8, 4);
      double[] w = {1, 0.5, 2, 1, 0.25, 1, 1.5, 1};
      for (int i = 0; i < raw.size(); i++) {
        TrainingPair p = raw.get(i);
        batch.add(new TrainingPair(p.prefix(), p.chosen(), p.rejected(), p.refChosen(), p.refRejected(), 0, w[i]));
      }
    }
    // Short prefixes before long steps, as outcome pairs: run as two rows each.
    batch.add(4, new TrainingPair(new int[] {1, 7}, new int[] {9, 10, 11, 12, 13, 14}, new int[] {20, 21, 22, 23, 24},
        -18, -15, 0, 1.0));
    batch.add(new TrainingPair(new int[] {1, 30, 31}, new int[] {40, 41, 42, 43, 44, 45, 46}, new int[] {50, 51, 52, 53},
        -20, -14, 0, 0.75));
    assertThat(MicroBatches.split(batch, 40, true).size()).as("several groups").isGreaterThanOrEqualTo(4);
    assertThat(MicroBatches.split(batch, 40, true)).as("both paths").anyMatch(MicroBatches.Group::shared)
        .anyMatch(g -> !g.shared());
    StepMetrics[][] metrics = new StepMetrics[2][];
    List<Map<String, HostTensor>> weights = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      DpoSettings s = run == 0 ? whole : whole.withMicroBatchTokens(40);
      try (LanguageModel policy = DpoTrainerTest.trainable(12); DpoTrainer t = new DpoTrainer(policy, s, 10)) {
        metrics[run] = new StepMetrics[3];
        for (int step = 0; step < 3; step++) {
          metrics[run][step] = t.step(batch);
        }
        weights.add(policy.weights());
      }
    }
    for (int step = 0; step < 3; step++) {
      StepMetrics a = metrics[0][step];
      StepMetrics b = metrics[1][step];
      assertThat(b.loss()).isCloseTo(a.loss(), within(1e-5));
      assertThat(b.dpoLoss()).isCloseTo(a.dpoLoss(), within(1e-5));
      assertThat(b.nllLoss()).isCloseTo(a.nllLoss(), within(1e-5));
      assertThat(b.rewardsChosen()).isCloseTo(a.rewardsChosen(), within(1e-5));
      assertThat(b.rewardsAccuracy()).isCloseTo(a.rewardsAccuracy(), within(1e-6));
      assertThat(b.logpsRejected()).isCloseTo(a.logpsRejected(), within(1e-4));
      assertThat(b.gradNorm()).isCloseTo(a.gradNorm(), within(1e-4 * a.gradNorm()));
    }
    weights.get(0).forEach((name, t) -> {
      float[] x = t.data();
      float[] y = weights.get(1).get(name).data();
      for (int i = 0; i < x.length; i++) {
        assertThat(y[i]).as(name).isCloseTo(x[i], within(1e-5f));
      }
    });
  }

  @Test
  void aMicroBatchBelow256TokensIsRefusedByName() {
    assertThatThrownBy(() -> DpoSettings.create(
        ConfigFactory.parseString("longdpo.train.micro-batch-tokens = 100").withFallback(ConfigFactory.load())))
        .hasMessageContaining("longdpo.train.micro-batch-tokens");
    assertThat(DpoSettings.create(ConfigFactory.parseString("longdpo.train.micro-batch-tokens = 0")
        .withFallback(ConfigFactory.load())).microBatchTokens()).isZero();
  }
}
