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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SamplingTest {

  private static LanguageModel model;

  @BeforeAll
  static void load() {
    model = TinyModels.randomTiny(21);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static SamplingParams free(int n) {
    return SamplingParams.sampling(1.0, n).withStopAtEos(false);
  }

  @Test
  void theSameSeedGivesTheSameSample() {
    int[] prompt = {1, 10, 20, 30};
    int[] a = model.generate(GenerationRequest.of(model.prefix(prompt), free(30), 5)).tokenIds();
    int[] b = model.generate(GenerationRequest.of(model.prefix(prompt), free(30), 5)).tokenIds();
    int[] c = model.generate(GenerationRequest.of(model.prefix(prompt), free(30), 6)).tokenIds();
    assertThat(b).containsExactly(a);
    assertThat(c).isNotEqualTo(a);
  }

  @Test
  void topKOneIsGreedy() {
    int[] prompt = {1, 50, 60};
    Generation greedy = model.generate(GenerationRequest.of(model.prefix(prompt), SamplingParams.greedy(20).withStopAtEos(false), 1));
    Generation topK1 =
        model.generate(GenerationRequest.of(model.prefix(prompt), free(20).withTopK(1), 99));
    assertThat(topK1.tokenIds()).containsExactly(greedy.tokenIds());
    // Greedy picks the argmax of the raw model at every step and reports its log-prob. The logits
    // come from one causal pass over the prompt and the generated tokens, without the cache.
    int[] tokens = greedy.tokenIds();
    assertThat(tokens).hasSize(20);
    float[][] rows = nextTokenLogits(prompt, tokens);
    for (int t = 0; t < tokens.length; t++) {
      float[] row = rows[t];
      int best = 0;
      for (int v = 1; v < row.length; v++) {
        best = row[v] > row[best] ? v : best;
      }
      double max = row[best];
      double sum = 0;
      for (float v : row) {
        sum += Math.exp(v - max);
      }
      assertThat(tokens[t]).as("token %d is the argmax", t).isEqualTo(best);
      assertThat((double) greedy.tokenLogProbs()[t]).as("log-prob of token %d", t)
          .isCloseTo(-Math.log(sum), org.assertj.core.data.Offset.offset(1e-4));
    }
  }

  /** Logits predicting each of {@code generated}, from one uncached pass over prompt + generated. */
  private static float[][] nextTokenLogits(int[] prompt, int[] generated) {
    long[] ids = new long[prompt.length + generated.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i < prompt.length ? prompt[i] : generated[i - prompt.length];
    }
    try (NDManager nd = model.manager().newSubManager()) {
      NDArray input = nd.create(ids, new Shape(1, ids.length));
      float[] logits = model.network().forward(new ParameterStore(nd, false), new NDList(input), false)
          .singletonOrThrow().toFloatArray();
      int vocab = model.config().vocabSize();
      float[][] rows = new float[generated.length][];
      for (int t = 0; t < generated.length; t++) {
        int position = prompt.length - 1 + t;
        rows[t] = Arrays.copyOfRange(logits, position * vocab, (position + 1) * vocab);
      }
      return rows;
    }
  }

  @Test
  void batchedGenerationEqualsOneByOne() {
    List<GenerationRequest> requests = new ArrayList<>();
    int[][] prompts = {{1, 3}, {1, 4, 5, 6, 7, 8, 9}, {1, 11, 12, 13}, {1, 90}};
    for (int i = 0; i < prompts.length; i++) {
      SamplingParams p = free(8 + 6 * i).withTopP(0.9);
      GenerationRequest r = GenerationRequest.of(model.prefix(prompts[i]), p, 1000 + i);
      if (i == 2) {
        r = r.withHook(Hooks.bannedTokens(Set.of(5, 6, 7)));
      }
      requests.add(r);
    }
    List<Generation> batched = model.generate(requests);
    for (int i = 0; i < requests.size(); i++) {
      Generation alone = model.generate(requests.get(i));
      assertThat(batched.get(i).tokenIds()).as("row %d", i).containsExactly(alone.tokenIds());
      float[] lb = batched.get(i).tokenLogProbs();
      float[] la = alone.tokenLogProbs();
      for (int t = 0; t < la.length; t++) {
        assertThat(lb[t]).isCloseTo(la[t], org.assertj.core.data.Offset.offset(1e-4f));
      }
    }
  }

  @Test
  void stopsAtTokenLimitStopTokensAndEos() {
    Generation limited = model.generate(GenerationRequest.of(model.prefix(new int[] {1, 2}), free(7), 3));
    assertThat(limited.length()).isEqualTo(7);
    assertThat(limited.finishReason()).isEqualTo(FinishReason.LENGTH);

    // Make token 42 overwhelmingly likely, then stop on it.
    LogitsHook favour42 = Hooks.additiveBias(Map.of(42, 100f));
    Generation stopped =
        model.generate(
            GenerationRequest.of(model.prefix(new int[] {1}), free(50).withStopTokenIds(Set.of(42)), 3)
                .withHook(favour42));
    assertThat(stopped.tokenIds()).containsExactly(42);
    assertThat(stopped.stopCause()).isEqualTo(StopCause.STOP_TOKEN);
    assertThat(stopped.finishReason()).isEqualTo(FinishReason.STOP);

    LogitsHook favourEos = Hooks.additiveBias(Map.of(2, 100f));
    Generation eos =
        model.generate(
            GenerationRequest.of(model.prefix(new int[] {1, 5}), SamplingParams.sampling(1.0, 50), 3)
                .withHook(favourEos));
    assertThat(eos.tokenIds()).containsExactly(2);
    assertThat(eos.endedWithEos()).isTrue();
    // The reported log-prob is the raw model's, not the hooked one (which would be ~0).
    assertThat(eos.tokenLogProbs()[0]).isLessThan(-1f);
  }

  @Test
  void bannedTokensAndNgramsNeverAppear() {
    Set<Integer> banned = Set.of(3, 4, 5, 6, 7, 8, 9, 10);
    for (int seed = 0; seed < 5; seed++) {
      Generation g =
          model.generate(
              GenerationRequest.of(model.prefix(new int[] {1}), free(60), seed)
                  .withHook(Hooks.bannedTokens(banned)));
      for (int t : g.tokenIds()) {
        assertThat(banned).doesNotContain(t);
      }
    }
    // Ban the bigram (a, b) for every a: b can then never follow anything, so it never appears
    // after the first position.
    List<int[]> bigrams = new ArrayList<>();
    for (int a = 0; a < 97; a++) {
      bigrams.add(new int[] {a, 17});
    }
    Generation g =
        model.generate(
            GenerationRequest.of(model.prefix(new int[] {1}), free(80), 4)
                .withHook(Hooks.chain(Hooks.additiveBias(Map.of(17, 3f)), Hooks.bannedNgrams(bigrams))));
    assertThat(g.tokenIds()).doesNotContain(17);
  }

  @Test
  void repetitionPenaltyFollowsHuggingFace() {
    float[] logits = {2f, -2f, 1f, 0.5f};
    TokenHistory history =
        new TokenHistory() {
          final int[] ids = {0, 1, 0};

          @Override
          public int size() {
            return ids.length;
          }

          @Override
          public int get(int i) {
            return ids[i];
          }

          @Override
          public int prefixLength() {
            return 1;
          }
        };
    Hooks.repetitionPenalty(2f).apply(history, logits);
    assertThat(logits).containsExactly(1f, -4f, 1f, 0.5f);
  }

  @Test
  void topPKeepsTheNucleusOnly() {
    // Probabilities 0.5, 0.3, 0.2 (temperature 1): top-p 0.6 keeps the first two.
    float[] logits = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.2)};
    SamplingParams p = SamplingParams.sampling(1.0, 1).withTopP(0.6);
    SplittableRandom rng = new SplittableRandom(1);
    int[] counts = new int[3];
    for (int i = 0; i < 4000; i++) {
      counts[Sampler.sample(logits, p, rng)]++;
    }
    assertThat(counts[2]).isZero();
    assertThat(counts[0] / 4000.0).isBetween(0.57, 0.68); // 0.5 / 0.8 = 0.625
  }

  @Test
  void aKeptStateCachesAllButItsLastToken() {
    PrefixState prefix = model.prefix(new int[] {1, 2, 3});
    Generation g =
        model.generate(GenerationRequest.of(prefix, free(5), 1).keepingState(true));
    PrefixState child = g.state().orElseThrow();
    assertThat(child.length()).isEqualTo(8);
    assertThat(child.cachedLength()).isEqualTo(7);
    long before = model.stats().prefillTokens();
    model.complete(child);
    assertThat(model.stats().prefillTokens() - before).isEqualTo(1);
    child.dropCache();
    assertThat(child.sizeInBytes()).isZero();
    assertThat(child.isComplete()).isFalse();
    Generation again = model.generate(GenerationRequest.of(child, free(3), 1));
    assertThat(again.length()).isEqualTo(3);
  }
}
