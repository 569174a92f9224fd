package dev.longdpo.model.generate;

import static dev.longdpo.model.MergingBpe.DOT_NL;
import static dev.longdpo.model.MergingBpe.DOT_NL_NL;
import static dev.longdpo.model.MergingBpe.NL_NL_T;
import static dev.longdpo.model.MergingBpe.byteToken;
import static org.assertj.core.api.Assertions.assertThat;

import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.MergingBpe;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stop texts under a byte-level BPE that merges punctuation with newlines: generation ends on the
 * token whose text completes a blank line, and the text is exactly the ids' text.
 */
class StopTextTest {

  private static final List<String> BLANK_LINE = List.of("\n\n");

  private static LanguageModel model;

  @BeforeAll
  static void load() {
    model = MergingBpe.randomModel(5);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  /** A hook that makes the row emit {@code tokens} in order, whatever the model says. */
  private static LogitsHook forcing(int... tokens) {
    return (history, logits) -> {
      int generated = history.size() - history.prefixLength();
      Arrays.fill(logits, Float.NEGATIVE_INFINITY);
      logits[tokens[Math.min(generated, tokens.length - 1)]] = 0;
    };
  }

  private static Generation generate(SamplingParams params, int... forced) {
    int[] prompt = model.encodePrompt("Write.");
    return model.generate(GenerationRequest.of(model.prefix(prompt), params, 1).withHook(forcing(forced)));
  }

  private static SamplingParams stepping(int maxTokens) {
    return SamplingParams.greedy(maxTokens).withStopTexts(BLANK_LINE);
  }

  @Test
  void aBlankLineMergedWithPunctuationEndsTheStepOnThatToken() {
    Generation g = generate(stepping(20), byteToken('H'), byteToken('i'), DOT_NL_NL, byteToken('T'), byteToken('o'));
    assertThat(g.tokenIds()).containsExactly(byteToken('H'), byteToken('i'), DOT_NL_NL);
    assertThat(g.text()).isEqualTo("Hi.\n\n");
    assertThat(g.stopCause()).isEqualTo(StopCause.STOP_TEXT);
    assertThat(model.requireTokenizer().decode(g.tokenIds())).isEqualTo(g.text());
  }

  @Test
  void aBlankLineSplitAcrossTwoTokensEndsTheStepOnTheSecond() {
    Generation g = generate(stepping(20), byteToken('H'), DOT_NL, byteToken('\n'), byteToken('x'));
    assertThat(g.tokenIds()).containsExactly(byteToken('H'), DOT_NL, byteToken('\n'));
    assertThat(g.text()).isEqualTo("H.\n\n");
  }

  @Test
  void textMergedPastTheBlankLineStaysWithItsToken() {
    Generation g = generate(stepping(20), byteToken('H'), NL_NL_T, byteToken('o'));
    assertThat(g.tokenIds()).containsExactly(byteToken('H'), NL_NL_T);
    assertThat(g.text()).isEqualTo("H\n\nT");
  }

  @Test
  void aSingleNewlineDoesNotEndTheStep() {
    Generation g = generate(stepping(5), byteToken('H'), DOT_NL, byteToken('a'), byteToken('b'), byteToken('c'));
    assertThat(g.tokenIds()).hasSize(5);
    assertThat(g.stopCause()).isEqualTo(StopCause.MAX_TOKENS);
  }

  @Test
  void aStopStringInsteadCutsTheTextButKeepsTheToken() {
    // OpenAI's stop semantics, kept for `model generate --stop`: text and ids disagree, which is
    // why a search step is cut with a stop text instead.
    Generation g = generate(SamplingParams.greedy(20).withStopStrings(BLANK_LINE), byteToken('H'), DOT_NL_NL,
        byteToken('T'));
    assertThat(g.tokenIds()).containsExactly(byteToken('H'), DOT_NL_NL);
    assertThat(g.text()).isEqualTo("H.");
  }
}
