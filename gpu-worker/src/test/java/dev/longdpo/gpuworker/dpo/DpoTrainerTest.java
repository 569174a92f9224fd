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
import java.util.Arrays;
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
    List<TrainingPair> batch;
    try (LanguageModel ref = TinyModels.randomTiny(3)) {
      batch = pairs(ref, 6, 1);
    }
    double[] firstLoss = new double[3];
    StepMetrics[] first = new StepMetrics[3];
    for (int w = 0; w <= 2; w++) {
      try (LanguageModel policy = trainable(3); DpoTrainer t = new DpoTrainer(policy, SETTINGS.withNllWeight(w), 10)) {
        first[w] = t.step(batch);
        firstLoss[w] = first[w].loss();
      }
    }
    // The loss's parts, reported apart: the DPO part alone, and the NLL before its weight.
    assertThat(first[0].nllLoss()).isZero();
    for (int w = 0; w <= 2; w++) {
      assertThat(first[w].dpoLoss()).isCloseTo(Math.log(2), within(1e-4));
      assertThat(first[w].loss()).isCloseTo(first[w].dpoLoss() + w * first[w].nllLoss(), within(1e-4));
    }
    assertThat(first[2].nllLoss()).isCloseTo(first[1].nllLoss(), within(1e-6));
    // Policy = reference, so the policy's log-prob of each chosen step is the pair's refChosen
    // (scored by the inference path), and the NLL term is the mean over pairs of the per-token NLL
    // −refChosen / |chosen| (all weights 1).
    double expectedNll = 0;
    for (TrainingPair p : batch) {
      expectedNll += -p.refChosen() / p.chosen().length;
    }
    expectedNll /= batch.size();
    assertThat(firstLoss[0]).isCloseTo(Math.log(2), within(1e-4));
    assertThat(firstLoss[1] - firstLoss[0]).isCloseTo(expectedNll, within(1e-4));
    assertThat(firstLoss[2] - firstLoss[0]).isCloseTo(2 * expectedNll, within(2e-4));
    // Hugging Face's initialization (std 0.02) on unit-RMS hidden states gives logits of std about
    // 0.02·√hidden = 0.11, so a random tiny model predicts nearly uniformly: about ln(vocabulary)
    // = ln 97 = 4.575 nats per token (measured here: 4.585). Over these 6 pairs' 21 chosen tokens
    // the mean moves by about 0.11/√21 ≈ 0.025 from it (plus a bias of σ²/2 ≈ 0.006); 0.1 is
    // four such deviations, and far below what a missing per-token division would add (×3.5).
    assertThat(TinyModels.tiny().vocabSize()).isEqualTo(97);
    assertThat(expectedNll).isCloseTo(Math.log(97), within(0.1));
  }

  @Test
  void aStepReportsTheLossRewardsAndLogProbsOfItsPairs() {
    DpoSettings s = SETTINGS.withBeta(0.5).withNllWeight(2);
    List<TrainingPair> batch;
    try (LanguageModel ref = TinyModels.randomTiny(11)) {
      batch = pairs(ref, 6, 4);
    }
    // The policy's log-probs before the step, through the inference path on a copy of its weights.
    int n = batch.size();
    double[] chosen = new double[n];
    double[] rejected = new double[n];
    try (LanguageModel copy = TinyModels.randomTiny(12)) {
      for (int i = 0; i < n; i++) {
        TrainingPair p = batch.get(i);
        PrefixState prefix = copy.prefix(p.prefix());
        var scores =
            copy.score(List.of(new ScoreRequest(prefix, p.chosen()), new ScoreRequest(prefix, p.rejected())));
        prefix.close();
        chosen[i] = scores.get(0).sum();
        rejected[i] = scores.get(1).sum();
      }
    }
    // The definitions, in doubles: rewards β·(log π − log π_ref), loss mean −log σ(margin) plus
    // the weighted per-token NLL of the chosen steps.
    double dpo = 0;
    double nll = 0;
    double rewardsChosen = 0;
    double rewardsRejected = 0;
    int won = 0;
    for (int i = 0; i < n; i++) {
      TrainingPair p = batch.get(i);
      double rc = 0.5 * (chosen[i] - p.refChosen());
      double rr = 0.5 * (rejected[i] - p.refRejected());
      assertThat(Math.abs(rc - rr)).as("no margin near 0, so accuracy is well defined").isGreaterThan(1e-3);
      dpo += Math.log1p(Math.exp(-(rc - rr)));
      nll += -chosen[i] / p.chosen().length;
      rewardsChosen += rc;
      rewardsRejected += rr;
      won += rc > rr ? 1 : 0;
    }
    assertThat(won).as("pairs won and lost, so accuracy and pair order are tested").isBetween(1, n - 1);
    try (LanguageModel policy = trainable(12); DpoTrainer t = new DpoTrainer(policy, s, 10)) {
      StepMetrics m = t.step(batch);
      assertThat(m.loss()).isCloseTo(dpo / n + 2 * nll / n, within(1e-4));
      assertThat(m.rewardsChosen()).isCloseTo(rewardsChosen / n, within(1e-4));
      assertThat(m.rewardsRejected()).isCloseTo(rewardsRejected / n, within(1e-4));
      assertThat(m.rewardsMargin()).isCloseTo((rewardsChosen - rewardsRejected) / n, within(1e-4));
      assertThat(m.rewardsAccuracy()).isCloseTo((double) won / n, within(1e-6));
      assertThat(m.logpsChosen()).isCloseTo(Arrays.stream(chosen).average().orElseThrow(), within(1e-4));
      assertThat(m.logpsRejected()).isCloseTo(Arrays.stream(rejected).average().orElseThrow(), within(1e-4));
      assertThat(m.asMap()).containsEntry("rewards/margins", m.rewardsMargin());
    }
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

  /** Everything a checkpoint carries over: counters, weights and AdamW's moments. */
  record TrainerState(
      long step, int epoch, long streamOffset, long pairsConsumed, long trainedTokens, Map<String, HostTensor> weights,
      Map<String, HostTensor> firstMoments, Map<String, HostTensor> secondMoments) {

    static TrainerState of(DpoTrainer t) {
      return new TrainerState(t.step(), t.epoch(), t.streamOffset(), t.pairsConsumed(), t.trainedTokens(),
          t.model().weights(), t.optimizer().firstMoments(), t.optimizer().secondMoments());
    }

    void assertEquals(TrainerState expected) {
      assertThat(step).as("step").isEqualTo(expected.step);
      assertThat(epoch).as("epoch").isEqualTo(expected.epoch);
      assertThat(streamOffset).as("stream offset").isEqualTo(expected.streamOffset);
      assertThat(pairsConsumed).as("pairs consumed").isEqualTo(expected.pairsConsumed);
      assertThat(trainedTokens).as("trained tokens").isEqualTo(expected.trainedTokens);
      assertSameTensors("weight", weights, expected.weights);
      assertSameTensors("AdamW first moment", firstMoments, expected.firstMoments);
      assertSameTensors("AdamW second moment", secondMoments, expected.secondMoments);
    }

    private static void assertSameTensors(
        String what, Map<String, HostTensor> actual, Map<String, HostTensor> expected) {
      assertThat(actual.keySet()).as(what + " names").containsExactlyElementsOf(expected.keySet());
      expected.forEach((name, t) -> assertThat(actual.get(name)).as("%s %s", what, name).isEqualTo(t));
    }
  }

  @Test
  void resumingFromACheckpointContinuesBitForBitAsAnUninterruptedRun() throws Exception {
    Path ckpt = dir.resolve("ckpt-2");
    List<TrainingPair> a;
    List<TrainingPair> b;
    List<TrainingPair> c;
    try (LanguageModel ref = TinyModels.randomTiny(3)) {
      a = pairs(ref, 6, 8);
      b = pairs(ref, 6, 9);
      c = pairs(ref, 5, 10);
    }
    // Three steps after the checkpoint, still in warm-up (5 steps): each has another learning
    // rate, so a step count or moments not restored show in the losses as well as in the state.
    List<List<TrainingPair>> next = List.of(a, c, b);
    TrainerState saved;
    List<StepMetrics> uninterrupted = new ArrayList<>();
    TrainerState end;
    try (LanguageModel policy = trainable(3); DpoTrainer t = new DpoTrainer(policy, SETTINGS, 10)) {
      t.step(a);
      t.step(b);
      t.setStreamOffset(12);
      t.setEpoch(1);
      t.save(ckpt, Map.of("variant", "test"));
      saved = TrainerState.of(t);
      assertThat(saved.firstMoments().values()).anyMatch(m -> m.data()[0] != 0); // the moments are live
      for (List<TrainingPair> batch : next) {
        uninterrupted.add(t.step(batch));
        t.setStreamOffset(t.streamOffset() + batch.size());
      }
      end = TrainerState.of(t);
    }
    try (DpoTrainer t = DpoTrainer.resume(ckpt, SETTINGS, 10)) {
      TrainerState.of(t).assertEquals(saved);
      assertThat(saved.step()).isEqualTo(2);
      assertThat(saved.streamOffset()).isEqualTo(12);
      assertThat(saved.pairsConsumed()).isEqualTo(12);
      for (int i = 0; i < next.size(); i++) {
        StepMetrics m = t.step(next.get(i));
        t.setStreamOffset(t.streamOffset() + next.get(i).size());
        // Same weights, moments, step and rate in the same operations: identical bits, not just
        // close values (CPU kernels are deterministic for a fixed shape and thread count).
        assertThat(m).as("step %d after resuming", i + 1).isEqualTo(uninterrupted.get(i));
      }
      TrainerState.of(t).assertEquals(end);
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
