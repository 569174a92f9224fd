package dev.longdpo.gpuworker.dpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.ConfigFactory;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.TinyModels;
import dev.longdpo.model.checkpoint.HostTensor;
import dev.longdpo.model.generate.PrefixState;
import dev.longdpo.model.generate.ScoreRequest;
import dev.longdpo.model.runtime.DjlRuntime;
import dev.longdpo.protocol.pairs.PairStep;
import dev.longdpo.protocol.pairs.PreferencePair;
import dev.longdpo.protocol.search.StepScore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DpoTrainerTest {

  /** Plain sigmoid DPO (no NLL term), where the invariants below hold exactly. */
  static final DpoSettings SETTINGS =
      DpoSettings.create(ConfigFactory.load()).withLearningRate(1e-2).withEpochs(1).withNllWeight(0);

  @TempDir Path dir;

  static int[] ids(SplittableRandom r, int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = 3 + r.nextInt(90);
    }
    return a;
  }

  /** Pairs whose reference log-probs come from {@code ref} through the inference scoring path. */
  static List<TrainingPair> pairs(LanguageModel ref, int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<TrainingPair> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] prefix = ids(r, 5 + r.nextInt(20));
      prefix[0] = 1;
      int[] chosen = ids(r, 1 + r.nextInt(6));
      int[] rejected = ids(r, 1 + r.nextInt(6));
      PrefixState p = ref.prefix(prefix);
      var scores = ref.score(List.of(new ScoreRequest(p, chosen), new ScoreRequest(p, rejected)));
      p.close();
      out.add(new TrainingPair(prefix, chosen, rejected, scores.get(0).sum(), scores.get(1).sum(), 0));
    }
    return out;
  }

  static LanguageModel trainable(long seed) {
    return LanguageModel.random(TinyModels.tiny(), seed, Optional.empty(), true);
  }

  @Test
  void withThePolicyEqualToTheReferenceTheFirstLossIsLn2() {
    try (LanguageModel ref = TinyModels.randomTiny(3); LanguageModel policy = trainable(3);
        DpoTrainer t = new DpoTrainer(policy, SETTINGS, 10)) {
      StepMetrics m = t.step(pairs(ref, 6, 1));
      assertThat(m.loss()).isCloseTo(Math.log(2), within(1e-4));
      assertThat(m.rewardsChosen()).isCloseTo(0, within(1e-4));
      assertThat(m.rewardsMargin()).isCloseTo(0, within(1e-4));
    }
  }

  @Test
  void theNllTermAddsTheWeightedMeanNllOfTheChosenSteps() {
    double[] firstLoss = new double[3];
    for (int w = 0; w <= 2; w++) {
      try (LanguageModel ref = TinyModels.randomTiny(3); LanguageModel policy = trainable(3);
          DpoTrainer t = new DpoTrainer(policy, SETTINGS.withNllWeight(w), 10)) {
        firstLoss[w] = t.step(pairs(ref, 6, 1)).loss();
      }
    }
    // Policy = reference: the DPO part is ln 2 for every weight; the NLL part grows linearly.
    double nll = firstLoss[1] - firstLoss[0];
    assertThat(firstLoss[0]).isCloseTo(Math.log(2), within(1e-4));
    assertThat(nll).isGreaterThan(1.0); // a random tiny model: about ln(vocabulary) per token
    assertThat(firstLoss[2] - firstLoss[0]).isCloseTo(2 * nll, within(1e-4));
  }

  @Test
  void weightedPairsGiveTheWeightedMeanOfTheirLosses() {
    DpoSettings s = SETTINGS.withNllWeight(1);
    List<TrainingPair> batch;
    try (LanguageModel ref = TinyModels.randomTiny(11)) {
      batch = pairs(ref, 3, 4);
    }
    double[] w = {1, 0.25, 0.5};
    double weightedSum = 0;
    double weightSum = 0;
    List<TrainingPair> weighted = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      TrainingPair p = batch.get(i);
      try (LanguageModel policy = trainable(12); DpoTrainer t = new DpoTrainer(policy, s, 10)) {
        weightedSum += w[i] * t.step(List.of(p)).loss();
      }
      weightSum += w[i];
      weighted.add(new TrainingPair(p.prefix(), p.chosen(), p.rejected(), p.refChosen(), p.refRejected(), 0, w[i]));
    }
    try (LanguageModel policy = trainable(12); DpoTrainer t = new DpoTrainer(policy, s, 10)) {
      double plain = t.step(batch).loss();
      assertThat(plain).isNotCloseTo(weightedSum / weightSum, within(1e-3)); // the weights matter here
    }
    // Both terms (DPO and NLL) are weighted means with the same weights.
    try (LanguageModel policy = trainable(12); DpoTrainer t = new DpoTrainer(policy, s, 10)) {
      assertThat(t.step(weighted).loss()).isCloseTo(weightedSum / weightSum, within(1e-5));
    }
  }

  @Test
  void promptWeightingSplitsOnePromptsWeightAmongItsPairs() {
    StepScore score = new StepScore(List.of(4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0), 5, 4, 9);
    PairStep step = new PairStep(" A.", new int[] {3}, false, score, -1, 9);
    PreferencePair ofFour = new PreferencePair("r/p/1", "r", "p", 1, "Write.", "[INST] Write. [/INST]",
        new int[] {1}, step, step, false, 0, false, 4);
    assertThat(TrainingPair.of(ofFour, new PairWeighting(1, 1)).weight()).isEqualTo(0.25);
    assertThat(TrainingPair.of(ofFour, new PairWeighting(0.5, 1)).weight()).isEqualTo(0.5);
    assertThat(TrainingPair.of(ofFour, PairWeighting.PER_PAIR).weight()).isEqualTo(1.0);
    // A pair from a v1 log of an unfinished prompt: the count is unknown, the weight 1.
    assertThat(TrainingPair.of(ofFour.withPromptPairs(0), new PairWeighting(1, 1)).weight()).isEqualTo(1.0);
    assertThat(DpoSettings.create(ConfigFactory.load()).pairWeighting()).isEqualTo(PairWeighting.PER_PAIR);
    assertThatThrownBy(() -> DpoSettings.create(
            ConfigFactory.parseString("longdpo.train.prompt-weight-exponent = 2").withFallback(ConfigFactory.load())))
        .hasMessageContaining("longdpo.train.prompt-weight-exponent")
        .hasMessageContaining("[0.0, 1.0]");
  }

  @Test
  void stopPairWeightingCountsOnlyPairsThatChooseToEnd() {
    StepScore score = new StepScore(List.of(4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0), 5, 4, 9);
    PairStep goesOn = new PairStep(" A.", new int[] {3}, false, score, -1, 9);
    PairStep ends = new PairStep(" B.", new int[] {4, 2}, true, score, -1, 9);
    BiFunction<PairStep, PairStep, PreferencePair> pair = (chosen, rejected) -> new PreferencePair(
        "r/p/2", "r", "p", 2, "Write.", "[INST] Write. [/INST]", new int[] {1}, chosen, rejected, false, 0, false, 4);
    PairWeighting twice = new PairWeighting(0, 2);
    assertThat(TrainingPair.of(pair.apply(ends, goesOn), twice).weight()).isEqualTo(2.0);
    // "Go on" pairs and pairs whose steps agree on ending keep weight 1.
    assertThat(TrainingPair.of(pair.apply(goesOn, ends), twice).weight()).isEqualTo(1.0);
    assertThat(TrainingPair.of(pair.apply(ends, ends), twice).weight()).isEqualTo(1.0);
    assertThat(TrainingPair.of(pair.apply(goesOn, goesOn), twice).weight()).isEqualTo(1.0);
    // The two factors multiply: a quarter of the prompt's weight, twice.
    assertThat(TrainingPair.of(pair.apply(ends, goesOn), new PairWeighting(1, 2)).weight()).isEqualTo(0.5);
    assertThatThrownBy(() -> DpoSettings.create(
            ConfigFactory.parseString("longdpo.train.stop-pair-weight = 0").withFallback(ConfigFactory.load())))
        .hasMessageContaining("longdpo.train.stop-pair-weight");
  }

  @Test
  void sharingThePrefixGivesThePlainPathsLossAndLogProbs() {
    try (LanguageModel m = trainable(5); NDManager nd = m.manager().newSubManager()) {
      List<TrainingPair> batch = pairs(m, 7, 2);
      PolicyScorer scorer = new PolicyScorer(m.network(), 0);
      float[][] plain = DjlRuntime.withoutGrad(() -> toFloats(scorer.logProbs(nd, batch, false)));
      float[][] shared = DjlRuntime.withoutGrad(() -> toFloats(scorer.logProbs(nd, batch, true)));
      for (int i = 0; i < batch.size(); i++) {
        assertThat(shared[0][i]).isCloseTo(plain[0][i], within(1e-5f));
        assertThat(shared[1][i]).isCloseTo(plain[1][i], within(1e-5f));
        // and both agree with the inference path that made the reference log-probs
        assertThat((double) plain[0][i]).isCloseTo(batch.get(i).refChosen(), within(1e-4));
      }
    }
    double[] losses = new double[2];
    for (int s = 0; s < 2; s++) {
      try (LanguageModel ref = TinyModels.randomTiny(11); LanguageModel policy = trainable(12);
          DpoTrainer t = new DpoTrainer(policy, SETTINGS.withPrefixSharing(s == 1), 10)) {
        losses[s] = t.step(pairs(ref, 6, 4)).loss();
      }
    }
    assertThat(losses[1]).isCloseTo(losses[0], within(1e-5));
  }

  private static float[][] toFloats(NDArray[] a) {
    return new float[][] {a[0].toFloatArray(), a[1].toFloatArray()};
  }

  @Test
  void parametersChangeAndTheLossFallsOnAFixedBatch() {
    try (LanguageModel ref = TinyModels.randomTiny(3); LanguageModel policy = trainable(3);
        DpoTrainer t = new DpoTrainer(policy, SETTINGS, 20)) {
      List<TrainingPair> batch = pairs(ref, 8, 6);
      Map<String, HostTensor> before = policy.weights();
      double first = t.step(batch).loss();
      assertThat(policy.weights()).isNotEqualTo(before);
      StepMetrics last = null;
      for (int i = 0; i < 5; i++) {
        last = t.step(batch);
      }
      assertThat(last.loss()).isLessThan(first - 0.05);
      assertThat(last.rewardsAccuracy()).isGreaterThan(0.5);
      assertThat(last.rewardsMargin()).isPositive();
      assertThat(last.pairsConsumed()).isEqualTo(48);
    }
  }

  @Test
  void resumingFromACheckpointGivesTheSameNextLoss() throws Exception {
    Path ckpt = dir.resolve("ckpt-2");
    List<TrainingPair> a;
    List<TrainingPair> b;
    double uninterrupted;
    try (LanguageModel ref = TinyModels.randomTiny(3)) {
      a = pairs(ref, 6, 8);
      b = pairs(ref, 6, 9);
    }
    try (LanguageModel policy = trainable(3); DpoTrainer t = new DpoTrainer(policy, SETTINGS, 10)) {
      t.step(a);
      t.step(b);
      t.setStreamOffset(12);
      t.save(ckpt, Map.of("variant", "test"));
      uninterrupted = t.step(a).loss();
    }
    try (DpoTrainer t = DpoTrainer.resume(ckpt, SETTINGS, 10)) {
      assertThat(t.step()).isEqualTo(2);
      assertThat(t.streamOffset()).isEqualTo(12);
      assertThat(t.pairsConsumed()).isEqualTo(12);
      assertThat(t.step(a).loss()).isCloseTo(uninterrupted, within(1e-6));
    }
  }

  @Test
  void nonFiniteLossesAreSkippedAndTooManyInARowStopTraining() {
    try (LanguageModel ref = TinyModels.randomTiny(3); LanguageModel policy = trainable(3);
        DpoTrainer t = new DpoTrainer(policy, SETTINGS, 10)) {
      List<TrainingPair> bad = new ArrayList<>();
      for (TrainingPair p : pairs(ref, 4, 1)) {
        bad.add(new TrainingPair(p.prefix(), p.chosen(), p.rejected(), Double.NaN, p.refRejected(), 0));
      }
      for (int i = 0; i < SETTINGS.maxNanInARow() - 1; i++) {
        assertThat(t.step(bad).skipped()).isTrue();
        t.checkHealthy();
      }
      assertThat(t.step()).isZero();
      assertThat(t.step(bad).skipped()).isTrue();
      assertThatThrownBy(t::checkHealthy).hasMessageContaining("non-finite losses in a row");
    }
  }
}
