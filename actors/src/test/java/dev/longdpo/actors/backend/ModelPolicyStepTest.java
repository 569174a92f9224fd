package dev.longdpo.actors.backend;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.LlamaConfig;
import dev.longdpo.model.MergingBpe;
import dev.longdpo.model.tokenizer.TextTokenizer;
import dev.longdpo.protocol.search.ExpandJob;
import dev.longdpo.protocol.search.StepDecoding;
import dev.longdpo.protocol.search.StepSample;
import dev.longdpo.testbed.corpus.Corpus;
import dev.longdpo.testbed.corpus.FlawRates;
import dev.longdpo.testbed.corpus.TokenizerBuilder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The policy's steps end where their text reaches a blank line, whatever the tokenizer merges into
 * the token that completes it, and a step's text is always its ids' text.
 */
class ModelPolicyStepTest {

  private static final int MAX_STEP_TOKENS = 64;

  private static List<StepSample> steps(LanguageModel model, int count) {
    ModelPolicy policy = new ModelPolicy(model, 1L << 24);
    try {
      int[] prompt = model.encodePrompt("Write about Varno.");
      ExpandJob job = new ExpandJob("t", "t/0", prompt, count, 11, new StepDecoding(1.0, 1.0, MAX_STEP_TOKENS),
          List.of());
      return policy.expand(List.of(job)).get(0);
    } finally {
      policy.close();
    }
  }

  /** Checks every step; returns how many ended at a blank line. */
  private static int checkSteps(List<StepSample> steps, TextTokenizer tok) {
    int atBlankLine = 0;
    for (StepSample s : steps) {
      int[] ids = s.tokens();
      assertThat(s.text()).as("a step's text is its ids' text").isEqualTo(tok.decode(ids));
      String before = tok.decode(Arrays.copyOf(ids, ids.length - 1));
      assertThat(before).as("no blank line before the step's last token").doesNotContain("\n\n");
      if (s.text().contains("\n\n")) {
        atBlankLine++;
      } else {
        assertThat(s.endsAnswer() || ids.length == MAX_STEP_TOKENS).as("a step without a blank line ran to its end")
            .isTrue();
      }
    }
    return atBlankLine;
  }

  @Test
  void aByteLevelBpeThatMergesPunctuationWithNewlinesEndsStepsOnTheMergedToken() {
    try (LanguageModel model = MergingBpe.randomModel(3)) {
      List<StepSample> steps = steps(model, 24);
      assertThat(checkSteps(steps, model.requireTokenizer())).isPositive();
      assertThat(steps).as("a step ended on a merged token, which the single-token check misses")
          .anySatisfy(s -> assertThat(s.tokens()[s.tokens().length - 1]).isIn(MergingBpe.DOT_NL_NL, MergingBpe.NL_NL_T));
    }
  }

  @Test
  void theTestbedsTokenizerEndsStepsOnItsParagraphToken() {
    TextTokenizer tok = TextTokenizer.fromJson(
        Corpus.generate(3, 60, 0.3, FlawRates.none()).tokenizerJson(4096), Path.of("testbed"));
    int paragraph = tok.tokenId("\n\n").orElseThrow();
    LlamaConfig c = LlamaConfig.of(vocabularySize(tok), 32, 48, 2, 4, 2, 512)
        .withSpecialTokens(Optional.of(TokenizerBuilder.BOS), List.of(TokenizerBuilder.EOS), Optional.empty());
    try (LanguageModel model = LanguageModel.random(c, 3, Optional.of(tok), false)) {
      List<StepSample> steps = steps(model, 48);
      assertThat(checkSteps(steps, tok)).isPositive();
      for (StepSample s : steps) {
        if (s.text().contains("\n\n")) {
          assertThat(s.tokens()[s.tokens().length - 1]).isEqualTo(paragraph);
        }
      }
    }
  }

  /** The vocabulary's size: the ids the tokenizer's JSON names. */
  private static int vocabularySize(TextTokenizer tok) {
    try {
      return new ObjectMapper().readTree(tok.json()).path("model").path("vocab").size();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
