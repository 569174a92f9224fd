package dev.longdpo.gpuworker.dpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longdpo.model.runtime.DjlRuntime;
import java.io.InputStream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link DpoLoss} against the formula computed here in plain doubles, and against TRL's own loss
 * ({@code tools/dpo/trl_dpo_fixture.py}). The loss computes in float32, so values agree to about
 * 1e-6 of their size.
 */
class DpoLossTest {

  /** Summed log-probs of one pair. */
  record Pair(double policyChosen, double policyRejected, double refChosen, double refRejected) {
    /** {@code (log π_c − log ref_c) − (log π_r − log ref_r)}. */
    double margin() {
      return (policyChosen - refChosen) - (policyRejected - refRejected);
    }

    Pair swapped() {
      return new Pair(policyRejected, policyChosen, refRejected, refChosen);
    }
  }

  // Every value is a multiple of 1/64, so float32 holds the inputs exactly.
  /** Chosen gained 0.5 against the reference, rejected lost 0.25: margin 0.75. */
  static final Pair GAINED = new Pair(-3.0, -4.0, -3.5, -3.75);

  static final Pair[] BATCH = {
    GAINED,
    new Pair(-12.515625, -9.25, -11.0, -10.125), // margin −2.390625
    new Pair(-0.5, -20.0, -0.5, -20.0), // policy = reference: margin 0
    new Pair(-7.875, -6.0625, -8.0, -5.5), // margin 0.6875
  };

  NDManager nd;

  @BeforeEach
  void open() {
    DjlRuntime.engine();
    nd = NDManager.newBaseManager("PyTorch");
  }

  @AfterEach
  void close() {
    nd.close();
  }

  /** −log σ(x), written plainly (the loss uses the stable softplus form; moderate x only). */
  static double minusLogSigmoid(double x) {
    return -Math.log(1 / (1 + Math.exp(-x)));
  }

  /** TRL's conservative sigmoid loss: −log σ(βm)·(1 − ε) − log σ(−βm)·ε. */
  static double expected(double beta, double labelSmoothing, Pair p) {
    double m = p.margin();
    return (1 - labelSmoothing) * minusLogSigmoid(beta * m) + labelSmoothing * minusLogSigmoid(-beta * m);
  }

  static Offset<Double> close(double expected) {
    return within(1e-6 * Math.max(1, Math.abs(expected)));
  }

  NDList reference(Pair... pairs) {
    float[] c = new float[pairs.length];
    float[] r = new float[pairs.length];
    for (int i = 0; i < pairs.length; i++) {
      c[i] = (float) pairs[i].refChosen();
      r[i] = (float) pairs[i].refRejected();
    }
    return new NDList(nd.create(c), nd.create(r));
  }

  NDList policy(Pair... pairs) {
    float[] c = new float[pairs.length];
    float[] r = new float[pairs.length];
    for (int i = 0; i < pairs.length; i++) {
      c[i] = (float) pairs[i].policyChosen();
      r[i] = (float) pairs[i].policyRejected();
    }
    return new NDList(nd.create(c), nd.create(r));
  }

  double loss(double beta, double labelSmoothing, Pair... pairs) {
    return new DpoLoss(beta, labelSmoothing).evaluate(reference(pairs), policy(pairs)).getFloat();
  }

  @Test
  void aNonzeroMarginGivesMinusLogSigmoidOfBetaTimesTheMargin() {
    // By hand: m = (−3 + 3.5) − (−4 + 3.75) = 0.75; −log σ(0.075) = ln(1 + e^−0.075) = 0.656350…
    assertThat(GAINED.margin()).isEqualTo(0.75);
    assertThat(expected(0.1, 0, GAINED)).isCloseTo(0.6563501408, within(1e-9));
    assertThat(loss(0.1, 0, GAINED)).isCloseTo(0.6563501408, close(0.66));
    // Clearly away from ln 2, the value at margin 0 that a test with policy = reference sees.
    assertThat(loss(0.1, 0, GAINED)).isLessThan(Math.log(2) - 0.03);
  }

  @Test
  void betaScalesTheMargin() {
    for (double beta : new double[] {0.1, 0.5}) {
      for (Pair p : BATCH) {
        assertThat(loss(beta, 0, p)).as("beta %s, %s", beta, p).isCloseTo(expected(beta, 0, p), close(1));
      }
    }
    // −log σ(0.375) = 0.523123…: a larger beta moves the loss further from ln 2 at the same margin.
    assertThat(loss(0.5, 0, GAINED)).isCloseTo(0.5231232641, close(1));
  }

  @Test
  void labelSmoothingMixesInTheLossOfTheFlippedLabel() {
    for (double eps : new double[] {0.1, 0.2, 0.4}) {
      for (Pair p : BATCH) {
        assertThat(loss(0.5, eps, p)).as("eps %s, %s", eps, p).isCloseTo(expected(0.5, eps, p), close(1));
      }
    }
    // By hand: 0.8·(−log σ(0.075)) + 0.2·(−log σ(−0.075)) = 0.8·0.656350 + 0.2·0.731350 = 0.671350.
    assertThat(loss(0.1, 0.2, GAINED)).isCloseTo(0.6713501408, close(1));
  }

  @Test
  void swappingChosenAndRejectedFlipsTheSignOfTheMargin() {
    for (Pair p : BATCH) {
      double forward = loss(0.5, 0, p);
      double swapped = loss(0.5, 0, p.swapped());
      assertThat(swapped).isCloseTo(expected(0.5, 0, p.swapped()), close(1));
      // softplus(−x) − softplus(x) = −x: the two orders differ by exactly β·m.
      assertThat(forward - swapped).isCloseTo(-0.5 * p.margin(), within(2e-6));
    }
    assertThat(loss(0.5, 0, GAINED.swapped())).isGreaterThan(loss(0.5, 0, GAINED) + 0.3);
  }

  @Test
  void theBatchLossIsTheMeanAndTheWeightedLossTheWeightedMean() {
    DpoLoss dpo = new DpoLoss(0.5, 0.1);
    double[] w = {1, 0.25, 0.5, 2};
    double sum = 0;
    double weighted = 0;
    double weights = 0;
    for (int i = 0; i < BATCH.length; i++) {
      sum += expected(0.5, 0.1, BATCH[i]);
      weighted += w[i] * expected(0.5, 0.1, BATCH[i]);
      weights += w[i];
    }
    assertThat((double) dpo.evaluate(reference(BATCH), policy(BATCH)).getFloat())
        .isCloseTo(sum / BATCH.length, close(1));
    NDArray weightArray = nd.create(new float[] {1, 0.25f, 0.5f, 2});
    assertThat((double) dpo.evaluate(reference(BATCH), policy(BATCH), weightArray).getFloat())
        .isCloseTo(weighted / weights, close(1));
  }

  @Test
  void rewardsAreBetaTimesTheLogRatioOfEachSide() {
    NDArray[] r = new DpoLoss(0.5, 0.2).rewards(reference(BATCH), policy(BATCH));
    float[] chosen = r[0].toFloatArray();
    float[] rejected = r[1].toFloatArray();
    for (int i = 0; i < BATCH.length; i++) {
      Pair p = BATCH[i];
      assertThat((double) chosen[i]).isCloseTo(0.5 * (p.policyChosen() - p.refChosen()), within(1e-6));
      assertThat((double) rejected[i]).isCloseTo(0.5 * (p.policyRejected() - p.refRejected()), within(1e-6));
    }
  }

  /**
   * TRL 1.13's loss and logged rewards on the same inputs. Without label smoothing TRL's "sigmoid"
   * loss; with it the conservative form, which TRL 1.x keeps only in its "aot_unpaired" loss (see
   * the fixture script).
   */
  @Test
  void matchesTrlsLossAndRewards() throws Exception {
    JsonNode fixture;
    try (InputStream in = DpoLossTest.class.getResourceAsStream("/fixtures/trl_dpo_loss.json")) {
      assertThat(in).as("fixture on the test classpath").isNotNull();
      fixture = new ObjectMapper().readTree(in);
    }
    assertThat(fixture.get("cases").size()).isGreaterThanOrEqualTo(6);
    for (JsonNode c : fixture.get("cases")) {
      String name = c.get("name").asText();
      int n = c.get("policy_chosen").size();
      Pair[] pairs = new Pair[n];
      for (int i = 0; i < n; i++) {
        pairs[i] = new Pair(c.get("policy_chosen").get(i).asDouble(), c.get("policy_rejected").get(i).asDouble(),
            c.get("reference_chosen").get(i).asDouble(), c.get("reference_rejected").get(i).asDouble());
      }
      double beta = c.get("beta").asDouble();
      double eps = c.get("label_smoothing").asDouble();
      for (int i = 0; i < n; i++) {
        double trl = c.get("per_pair_loss").get(i).asDouble();
        assertThat(loss(beta, eps, pairs[i])).as("%s, pair %d", name, i).isCloseTo(trl, close(trl));
      }
      double trlLoss = c.get("loss").asDouble();
      assertThat(loss(beta, eps, pairs)).as(name).isCloseTo(trlLoss, close(trlLoss));
      NDArray[] r = new DpoLoss(beta, eps).rewards(reference(pairs), policy(pairs));
      assertThat((double) r[0].mean().getFloat()).as(name).isCloseTo(c.get("rewards_chosen").asDouble(), within(1e-6));
      assertThat((double) r[1].mean().getFloat()).as(name)
          .isCloseTo(c.get("rewards_rejected").asDouble(), within(1e-6));
      assertThat((double) r[0].sub(r[1]).mean().getFloat()).as(name)
          .isCloseTo(c.get("rewards_margins").asDouble(), within(1e-6));
    }
  }
}
