package dev.longdpo.testbed.judge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longdpo.model.generate.TokenHistory;
import dev.longdpo.model.tokenizer.TextTokenizer;
import dev.longdpo.testbed.corpus.Corpus;
import dev.longdpo.testbed.corpus.FlawRates;
import dev.longdpo.testbed.corpus.TokenizerBuilder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CritiqueHookTest {

  static TextTokenizer tok;

  @BeforeAll
  static void build() {
    tok = TextTokenizer.fromJson(Corpus.generate(1, 40, 0.2, FlawRates.none()).tokenizerJson(4096), Path.of("t"));
  }

  @AfterAll
  static void close() {
    tok.close();
  }

  static TokenHistory history(int[] prefix, int[] generated) {
    int[] all = Arrays.copyOf(prefix, prefix.length + generated.length);
    System.arraycopy(generated, 0, all, prefix.length, generated.length);
    return new TokenHistory() {
      @Override
      public int size() {
        return all.length;
      }

      @Override
      public int get(int i) {
        return all[i];
      }

      @Override
      public int prefixLength() {
        return prefix.length;
      }
    };
  }

  private CritiqueHook hook(Suggestion s) {
    int dot = tok.tokenId(".").orElseThrow();
    int br = tok.tokenId("\n\n").orElseThrow();
    return new CritiqueHook(tok, List.of(s), Set.of(dot), Set.of(br), Set.of(TokenizerBuilder.EOS), 3f);
  }

  @Test
  void avoidedWordsAreBannedAndAddedPhrasesGuided() {
    int salt = tok.encode(" salt", false)[0];
    int[] add = tok.encode(" clock tower", false);
    CritiqueHook h = hook(new Suggestion(Principle.ACCURACY, "x", 5, List.of("salt"), List.of("clock tower"), LengthDirection.KEEP));
    float[] logits = new float[1500];
    h.apply(history(new int[] {1, 4}, new int[] {}), logits);
    assertThat(logits[salt]).isEqualTo(Float.NEGATIVE_INFINITY);
    assertThat(logits[add[0]]).isEqualTo(3f);
    // Halfway through the phrase the next token is the one guided.
    float[] next = new float[1500];
    h.apply(history(new int[] {1, 4}, new int[] {add[0]}), next);
    assertThat(next[add[1]]).isEqualTo(3f);
    // Once written, the phrase is no longer pushed.
    float[] done = new float[1500];
    h.apply(history(new int[] {1, 4}, add), done);
    assertThat(done[add[0]]).isZero();
  }

  @Test
  void aRepeatedSentenceCannotBeWrittenAgain() {
    String sentence = "Visitors come to Varno in every season.";
    int[] ids = tok.encode(" " + sentence, false);
    CritiqueHook h = hook(new Suggestion(Principle.DIVERSITY, "x", 4, List.of(sentence), List.of(), LengthDirection.KEEP));
    int[] partial = Arrays.copyOf(ids, CritiqueHook.NGRAM - 1);
    float[] logits = new float[1500];
    h.apply(history(new int[] {1}, partial), logits);
    assertThat(logits[ids[CritiqueHook.NGRAM - 1]]).isEqualTo(Float.NEGATIVE_INFINITY);
  }

  @Test
  void lengthDirectionsBiasTheEndings() {
    int dot = tok.tokenId(".").orElseThrow();
    int br = tok.tokenId("\n\n").orElseThrow();
    float[] shorter = new float[1500];
    hook(new Suggestion(Principle.FORMAT, "x", 3, List.of(), List.of(), LengthDirection.SHORTER))
        .apply(history(new int[] {1}, new int[] {dot}), shorter);
    assertThat(shorter[br]).isPositive();
    assertThat(shorter[TokenizerBuilder.EOS]).isPositive();
    float[] longer = new float[1500];
    hook(new Suggestion(Principle.FORMAT, "x", 3, List.of(), List.of(), LengthDirection.LONGER))
        .apply(history(new int[] {1}, new int[] {dot}), longer);
    assertThat(longer[TokenizerBuilder.EOS]).isNegative();
  }
}
