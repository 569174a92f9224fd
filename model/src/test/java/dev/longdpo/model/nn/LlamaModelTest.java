package dev.longdpo.model.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.LlamaConfig;
import dev.longdpo.model.checkpoint.HostTensor;
import dev.longdpo.model.runtime.DjlRuntime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LlamaModelTest {

  private static float[] forward(LanguageModel m, int[] ids) {
    try (NDManager nd = m.manager().newSubManager()) {
      long[] l = new long[ids.length];
      for (int i = 0; i < ids.length; i++) {
        l[i] = ids[i];
      }
      NDArray input = nd.create(l, new Shape(1, ids.length));
      return m.network().forward(new ParameterStore(nd, false), new NDList(input), false)
          .singletonOrThrow().toFloatArray();
    }
  }

  @Test
  void matchesALiteralJavaImplementationWithGroupedQueryAttention() {
    LlamaConfig config = LlamaConfig.of(50, 24, 40, 2, 6, 2, 64).withRopeTheta(500.0);
    try (LanguageModel m = LanguageModel.random(config, 11, Optional.empty(), false)) {
      Map<String, HostTensor> weights = m.weights();
      // Give the norms non-trivial scales so their weight multiply is checked too.
      HostTensor norm = weights.get("model.layers.1.input_layernorm.weight");
      for (int i = 0; i < norm.data().length; i++) {
        norm.data()[i] = 0.5f + 0.05f * i;
      }
      m.loadWeights(weights);
      int[] ids = {1, 7, 33, 2, 49, 0, 12, 12, 5};
      float[] actual = forward(m, ids);
      double[][] expected = new NaiveLlama(config, weights).logits(ids);
      for (int t = 0; t < ids.length; t++) {
        for (int v = 0; v < 50; v++) {
          assertThat((double) actual[t * 50 + v]).isCloseTo(expected[t][v], within(1e-4));
        }
      }
    }
  }

  @Test
  void tiedEmbeddingsShareTheEmbeddingMatrix() {
    LlamaConfig config = LlamaConfig.of(40, 16, 32, 1, 2, 2, 32).withTiedEmbeddings(true);
    try (LanguageModel m = LanguageModel.random(config, 3, Optional.empty(), false)) {
      assertThat(m.network().namedParameters()).doesNotContainKey("lm_head.weight");
      Map<String, HostTensor> weights = m.weights();
      int[] ids = {3, 9, 27};
      float[] actual = forward(m, ids);
      double[][] expected = new NaiveLlama(config, weights).logits(ids);
      assertThat((double) actual[2 * 40 + 5]).isCloseTo(expected[2][5], within(1e-4));
    }
  }

  @Test
  void rmsNormMatchesAHandComputedCase() {
    DjlRuntime.engine();
    try (NDManager nd = NDManager.newBaseManager("PyTorch")) {
      WeightSource weight = (name, shape, kind) -> new HostTensor(shape, new float[] {1f, 0.5f, 2f, 1f});
      RmsNorm norm = new RmsNorm(new ParameterRegistry(nd, weight), "n", 4, 1e-6);
      float[] y = norm.apply(nd.create(new float[] {1, 2, 3, 4}, new Shape(1, 4))).toFloatArray();
      // mean(x²) = 30/4 = 7.5; 1/sqrt(7.5 + 1e-6) = 0.36514834
      double r = 1 / Math.sqrt(7.5 + 1e-6);
      assertThat((double) y[0]).isCloseTo(1 * r * 1, within(1e-6));
      assertThat((double) y[1]).isCloseTo(2 * r * 0.5, within(1e-6));
      assertThat((double) y[2]).isCloseTo(3 * r * 2, within(1e-6));
      assertThat((double) y[3]).isCloseTo(4 * r * 1, within(1e-6));
    }
  }

  @Test
  void ropeRotatesTheTwoHalvesOfEachHead() {
    DjlRuntime.engine();
    LlamaConfig config = LlamaConfig.of(8, 4, 8, 1, 1, 1, 16); // head_dim 4, theta 10000
    RotaryTable table = new RotaryTable(config);
    try (NDManager nd = NDManager.newBaseManager("PyTorch")) {
      NDArray x = nd.create(new float[] {1, 2, 3, 4, 1, 2, 3, 4}, new Shape(1, 2, 1, 4));
      NDArray[] cs = table.tables(nd, new int[] {0, 1}, 1, 2);
      float[] y = RotaryTable.rotate(x, cs[0], cs[1]).toFloatArray();
      // Position 0: no rotation.
      assertThat(y[0]).isEqualTo(1f);
      assertThat(y[3]).isEqualTo(4f);
      // Position 1: frequencies 1 and 1/100; pairs (x0, x2) by angle 1 and (x1, x3) by 0.01.
      // rotate_half([1,2,3,4]) = [-3,-4,1,2]
      double c1 = Math.cos(1);
      double s1 = Math.sin(1);
      double c2 = Math.cos(0.01);
      double s2 = Math.sin(0.01);
      assertThat((double) y[4]).isCloseTo(1 * c1 - 3 * s1, within(1e-6));
      assertThat((double) y[5]).isCloseTo(2 * c2 - 4 * s2, within(1e-6));
      assertThat((double) y[6]).isCloseTo(3 * c1 + 1 * s1, within(1e-6));
      assertThat((double) y[7]).isCloseTo(4 * c2 + 2 * s2, within(1e-6));
    }
  }

  @Test
  void attentionMatchesAHandComputedCase() {
    // One head of width 2, two tokens, identity projections: the second token attends to both.
    DjlRuntime.engine();
    LlamaConfig config = LlamaConfig.of(4, 2, 2, 1, 1, 1, 8);
    WeightSource identity =
        (name, shape, kind) -> new HostTensor(shape, shape.length == 2 && shape[0] == 2 && shape[1] == 2
            ? new float[] {1, 0, 0, 1}
            : new float[(int) HostTensor.elementCount(shape)]);
    try (NDManager nd = NDManager.newBaseManager("PyTorch")) {
      SelfAttention attention = new SelfAttention(new ParameterRegistry(nd, identity), "a", config);
      NDArray x = nd.create(new float[] {1, 0, 0, 1}, new Shape(1, 2, 2));
      RotaryTable table = new RotaryTable(config);
      NDArray[] cs = table.tables(nd, new int[] {0, 0}, 1, 2); // same position: no relative rotation
      AttentionContext ctx =
          new AttentionContext(cs[0], cs[1], Masks.causal(nd, 2, 0), new SelfOnlyKv(1));
      float[] y = attention.apply(x, 0, ctx).toFloatArray();
      // Token 0 sees only itself: output = v0 = [1, 0].
      assertThat(y[0]).isCloseTo(1f, within(1e-6f));
      assertThat(y[1]).isCloseTo(0f, within(1e-6f));
      // Token 1: scores q1·k0 = 0, q1·k1 = 1, scaled by 1/sqrt(2); weights softmax([0, 0.7071]).
      double w0 = 1 / (1 + Math.exp(1 / Math.sqrt(2)));
      assertThat((double) y[2]).isCloseTo(w0, within(1e-6));
      assertThat((double) y[3]).isCloseTo(1 - w0, within(1e-6));
    }
  }

  @Test
  void parameterNamesAndShapesAreHuggingFaces() {
    try (LanguageModel m = LanguageModel.random(LlamaConfig.of(50, 24, 40, 2, 6, 2, 64), 1, Optional.empty(), false)) {
      Map<String, HostTensor> w = m.weights();
      assertThat(w.keySet())
          .startsWith("model.embed_tokens.weight")
          .contains(
              "model.layers.0.self_attn.q_proj.weight",
              "model.layers.1.mlp.down_proj.weight",
              "model.norm.weight",
              "lm_head.weight");
      assertThat(w.get("model.layers.0.self_attn.k_proj.weight").shape()).containsExactly(8, 24);
      assertThat(w.get("model.layers.0.mlp.gate_proj.weight").shape()).containsExactly(40, 24);
      assertThat(w.get("model.layers.0.mlp.down_proj.weight").shape()).containsExactly(24, 40);
      assertThat(w).hasSize(1 + 2 * 9 + 2);
      assertThat(List.copyOf(w.keySet()).get(w.size() - 1)).isEqualTo("lm_head.weight");
    }
  }
}
