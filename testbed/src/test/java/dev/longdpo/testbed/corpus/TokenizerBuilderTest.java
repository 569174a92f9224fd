package dev.longdpo.testbed.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longdpo.model.tokenizer.TextTokenizer;
import dev.longdpo.testbed.task.TaskFile;
import dev.longdpo.testbed.task.WritingTask;
import java.nio.file.Path;
import dev.longdpo.testbed.TestResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenizerBuilderTest {

  static Corpus corpus;
  static TextTokenizer tokenizer;

  @BeforeAll
  static void build() {
    corpus = Corpus.generate(3, 60, 0.3, FlawRates.none());
    tokenizer = TextTokenizer.fromJson(corpus.tokenizerJson(4096), Path.of("built"));
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  @Test
  void corpusTextRoundTripsAndParagraphBreaksAreTokens() {
    Document d = corpus.documents().get(1);
    int[] ids = tokenizer.encode(d.completion(), false);
    assertThat(tokenizer.decode(ids)).isEqualTo(d.completion());
    int breakId = tokenizer.tokenId("\n\n").orElseThrow();
    assertThat(ids).contains(breakId);
    for (int id : ids) {
      assertThat(id).isNotEqualTo(TokenizerBuilder.UNK);
    }
  }

  @Test
  void thePromptTemplateAndBosAreSingleTokens() {
    int[] ids = tokenizer.encode(corpus.documents().get(0).task().modelInput(), true);
    assertThat(ids[0]).isEqualTo(TokenizerBuilder.BOS);
    assertThat(ids[1]).isEqualTo(4); // [INST]
    assertThat(ids[ids.length - 1]).isEqualTo(5); // [/INST]
  }

  @Test
  void realLongBenchWritePromptsTokenizeWithUnknownWordsAsUnk() {
    int unknown = 0;
    for (WritingTask t : TaskFile.read(TestResources.path("/longbench_write_en.jsonl"))) {
      int[] ids = tokenizer.encode(t.modelInput(), true);
      assertThat(ids.length).isGreaterThan(3);
      for (int id : ids) {
        if (id == TokenizerBuilder.UNK) {
          unknown++;
        }
      }
    }
    assertThat(unknown).isGreaterThan(100);
  }
}
