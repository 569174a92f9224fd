package dev.longdpo.model.generate;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.TinyModels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KvCacheConsistencyTest {

  private static LanguageModel model;

  @BeforeAll
  static void load() {
    model = TinyModels.randomTiny(7);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  /** Log-softmax of a full causal forward over {@code ids}, one row per position. */
  static float[][] fullForwardLogProbs(LanguageModel m, int[] ids) {
    try (NDManager nd = m.manager().newSubManager()) {
      long[] l = new long[ids.length];
      for (int i = 0; i < ids.length; i++) {
        l[i] = ids[i];
      }
      NDArray input = nd.create(l, new Shape(1, ids.length));
      NDArray logits =
          m.network()
              .forward(new ParameterStore(nd, false), new NDList(input), false)
              .singletonOrThrow()
              .logSoftmax(2);
      int v = (int) logits.getShape().get(2);
      float[] flat = logits.toFloatArray();
      float[][] out = new float[ids.length][v];
      for (int t = 0; t < ids.length; t++) {
        System.arraycopy(flat, t * v, out[t], 0, v);
      }
      return out;
    }
  }

  @Test
  void cachedDecodingMatchesFullForward() {
    int[] prompt = {1, 5, 9, 14, 3, 77, 42};
    PrefixState prefix = model.prefix(prompt);
    Generation g =
        model.generate(
            GenerationRequest.of(prefix, SamplingParams.sampling(1.0, 40).withStopAtEos(false), 3));
    int[] all = concat(prompt, g.tokenIds());
    float[][] reference = fullForwardLogProbs(model, all);
    float[] cached = g.tokenLogProbs();
    for (int i = 0; i < cached.length; i++) {
      int pos = prompt.length - 1 + i;
      assertThat(cached[i]).isCloseTo(reference[pos][all[pos + 1]], org.assertj.core.data.Offset.offset(1e-4f));
    }
  }

  @Test
  void forkedContinuationsMatchFullForwardAndPrefillThePrefixOnce() {
    int[] prompt = new int[50];
    for (int i = 0; i < prompt.length; i++) {
      prompt[i] = 3 + (i * 31) % 90;
    }
    PrefixState prefix = model.prefix(prompt);
    long before = model.stats().prefillTokens();
    List<GenerationRequest> forks = new ArrayList<>();
    for (int k = 0; k < 4; k++) {
      forks.add(
          GenerationRequest.of(prefix, SamplingParams.sampling(1.0, 12).withStopAtEos(false), 100 + k)
              .keepingState(true));
    }
    List<Generation> out = model.generate(forks);
    assertThat(model.stats().prefillTokens() - before).isEqualTo(prompt.length);
    for (Generation g : out) {
      int[] all = concat(prompt, g.tokenIds());
      float[][] reference = fullForwardLogProbs(model, all);
      for (int i = 0; i < g.length(); i++) {
        int pos = prompt.length - 1 + i;
        assertThat(g.tokenLogProbs()[i])
            .isCloseTo(reference[pos][all[pos + 1]], org.assertj.core.data.Offset.offset(1e-4f));
      }
      // The kept state continues from its cache: one more token, compared again.
      PrefixState child = g.state().orElseThrow();
      assertThat(child.cachedLength()).isEqualTo(all.length - 1);
      Generation next =
          model.generate(
              GenerationRequest.of(child, SamplingParams.sampling(1.0, 5).withStopAtEos(false), 9));
      int[] longer = concat(all, next.tokenIds());
      float[][] ref2 = fullForwardLogProbs(model, longer);
      for (int i = 0; i < next.length(); i++) {
        int pos = all.length - 1 + i;
        assertThat(next.tokenLogProbs()[i])
            .isCloseTo(ref2[pos][longer[pos + 1]], org.assertj.core.data.Offset.offset(1e-4f));
      }
    }
  }

  static int[] concat(int[] a, int[] b) {
    int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
