package dev.longdpo.model.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.LlamaConfig;
import dev.longdpo.model.checkpoint.HostTensor;
import dev.longdpo.model.runtime.DjlRuntime;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The fused decoding step ({@link LlamaModel#decodeLogits}) against a literal Java Llama: rows at
 * different positions over a left-padded cache, grouped-query attention, scaled norms, and the
 * rebuild of the fused weights after the parameters change.
 */
class FusedDecodeTest {

  private static final LlamaConfig CONFIG = LlamaConfig.of(50, 24, 40, 2, 6, 2, 64).withRopeTheta(500.0);
  private static final int[][] ROWS = {{1, 7, 33, 2, 49, 12}, {3, 9, 27, 5}};

  @Test
  void oneStepForRowsAtDifferentPositionsMatchesTheLiteralModel() {
    try (LanguageModel m = LanguageModel.random(CONFIG, 11, Optional.empty(), false)) {
      Map<String, HostTensor> weights = scaledNorms(m.weights(), 0.05f);
      m.loadWeights(weights);
      assertMatches(m, weights);
    }
  }

  @Test
  void changedParametersAreSeenByTheNextStep() {
    try (LanguageModel m = LanguageModel.random(CONFIG, 11, Optional.empty(), false)) {
      assertMatches(m, m.weights()); // builds the fused weights
      Map<String, HostTensor> changed = scaledNorms(m.weights(), -0.03f);
      HostTensor q = changed.get("model.layers.0.self_attn.q_proj.weight");
      for (int i = 0; i < q.data().length; i++) {
        q.data()[i] *= 1.5f;
      }
      m.loadWeights(changed);
      assertMatches(m, changed);
    }
  }

  /** Every norm scaled away from 1, so that folding the scales into the weights is checked. */
  private static Map<String, HostTensor> scaledNorms(Map<String, HostTensor> weights, float slope) {
    for (Map.Entry<String, HostTensor> e : weights.entrySet()) {
      if (e.getKey().endsWith("norm.weight")) {
        float[] d = e.getValue().data();
        for (int i = 0; i < d.length; i++) {
          d[i] = 0.7f + slope * i;
        }
      }
    }
    return weights;
  }

  /** Decodes each row's last token over its prefix's cache, left-padded to the longest. */
  private static void assertMatches(LanguageModel m, Map<String, HostTensor> weights) {
    LlamaModel net = m.network();
    int layers = CONFIG.numHiddenLayers();
    int longest = Math.max(ROWS[0].length, ROWS[1].length) - 1;
    DjlRuntime.withoutGrad(() -> {
      try (NDManager nd = m.manager().newSubManager()) {
        NDArray[] pastKeys = new NDArray[layers];
        NDArray[] pastValues = new NDArray[layers];
        float[] mask = new float[ROWS.length * (longest + 1)];
        long[] last = new long[ROWS.length];
        int[] positions = new int[ROWS.length];
        for (int r = 0; r < ROWS.length; r++) {
          int n = ROWS[r].length - 1;
          SelfOnlyKv kv = new SelfOnlyKv(layers);
          net.hidden(ids(nd, ROWS[r], n), net.causalContext(nd, 1, n, 0, kv));
          for (int l = 0; l < layers; l++) {
            NDArray k = leftPad(nd, kv.keys()[l], longest);
            NDArray v = leftPad(nd, kv.values()[l], longest);
            pastKeys[l] = r == 0 ? k : NDArrays.concat(new NDList(pastKeys[l], k), 0);
            pastValues[l] = r == 0 ? v : NDArrays.concat(new NDList(pastValues[l], v), 0);
          }
          for (int s = 0; s < longest - n; s++) {
            mask[r * (longest + 1) + s] = Masks.BLOCKED;
          }
          last[r] = ROWS[r][n];
          positions[r] = n;
        }
        DecodeKv appendOne = (layer, k, v) -> new NDArray[] {
          NDArrays.concat(new NDList(pastKeys[layer], k.expandDims(2)), 2),
          NDArrays.concat(new NDList(pastValues[layer], v.expandDims(2)), 2)};
        float[] logits = net.decodeLogits(
            nd.create(last, new Shape(ROWS.length, 1)), positions,
            nd.create(mask, new Shape(ROWS.length, 1, 1, longest + 1)), appendOne).toFloatArray();
        NaiveLlama naive = new NaiveLlama(CONFIG, weights);
        for (int r = 0; r < ROWS.length; r++) {
          double[] expected = naive.logits(ROWS[r])[ROWS[r].length - 1];
          for (int v = 0; v < CONFIG.vocabSize(); v++) {
            assertThat((double) logits[r * CONFIG.vocabSize() + v]).as("row %d token %d", r, v)
                .isCloseTo(expected[v], within(1e-4));
          }
        }
      }
    });
  }

  private static NDArray ids(NDManager nd, int[] tokens, int n) {
    long[] l = new long[n];
    for (int i = 0; i < n; i++) {
      l[i] = tokens[i];
    }
    return nd.create(l, new Shape(1, n));
  }

  /** {@code [1, kvHeads, n, D]} with zeros in front up to {@code slots}. */
  private static NDArray leftPad(NDManager nd, NDArray a, int slots) {
    Shape s = a.getShape();
    if (s.get(2) == slots) {
      return a;
    }
    NDArray zeros = nd.zeros(new Shape(s.get(0), s.get(1), slots - s.get(2), s.get(3)));
    return NDArrays.concat(new NDList(zeros, a), 2);
  }
}
