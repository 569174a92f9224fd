package dev.longdpo.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longdpo.model.checkpoint.CheckpointException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextTokenizerTest {

  @TempDir Path dir;

  /** A word-level tokenizer.json whose pieces carry their leading space and decode by fusing. */
  static String wordLevelJson(List<String> words) {
    ObjectNode root = TokenizerJson.root();
    String[] specials = {"<unk>", "<s>", "</s>", "<pad>"};
    ObjectNode vocab = root.objectNode();
    for (int i = 0; i < specials.length; i++) {
      TokenizerJson.addSpecialToken(root, i, specials[i]);
      vocab.put(specials[i], i);
    }
    for (String w : words) {
      vocab.put(w, vocab.size());
    }
    root.putNull("normalizer");
    ObjectNode pre = root.putObject("pre_tokenizer");
    pre.put("type", "Split");
    pre.putObject("pattern").put("Regex", "\\n+| ?[A-Za-z]+| ?[0-9]+| ?[^\\sA-Za-z0-9]|\\s");
    pre.put("behavior", "Isolated");
    pre.put("invert", false);
    TokenizerJson.putBosPostProcessor(root, "<s>", 1);
    root.putObject("decoder").put("type", "Fuse");
    ObjectNode model = root.putObject("model");
    model.put("type", "WordLevel");
    model.set("vocab", vocab);
    model.put("unk_token", "<unk>");
    return root.toString();
  }

  @Test
  void keepsParagraphBreaksMapsUnknownWordsAndRoundTrips() throws Exception {
    Path file = dir.resolve("tokenizer.json");
    Files.writeString(file, wordLevelJson(List.of("The", " cat", " sat", ".", "\n\n", " on", " mat")));
    try (TextTokenizer t = TextTokenizer.load(dir)) {
      String text = "The cat sat.\n\nThe cat sat on mat.";
      int[] ids = t.encode(text, false);
      assertThat(ids).hasSize(11);
      assertThat(ids[4]).isEqualTo(t.tokenId("\n\n").orElseThrow());
      assertThat(t.decode(ids)).isEqualTo(text);
      assertThat(t.encode(text, true)[0]).isEqualTo(1); // BOS from the post-processor
      assertThat(t.decode(t.encode(text, true))).isEqualTo(text); // special tokens skipped
      assertThat(t.encode("The zebra", false)).containsExactly(4, 0);
    }
  }

  @Test
  void longTextsAreNotTruncated() throws Exception {
    Files.writeString(dir.resolve("tokenizer.json"), wordLevelJson(List.of("The", " cat")));
    try (TextTokenizer t = TextTokenizer.load(dir)) {
      String text = "The" + " cat".repeat(2000);
      assertThat(t.encode(text, false)).hasSize(2001);
    }
  }

  @Test
  void aMissingOrBrokenFileNamesTheFile() throws Exception {
    assertThatThrownBy(() -> TextTokenizer.load(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("tokenizer.json")
        .hasMessageContaining("missing");
    Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": 3}");
    assertThatThrownBy(() -> TextTokenizer.load(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("tokenizer.json")
        .hasMessageContaining("not a valid tokenizer");
  }

  @Test
  void theByteLevelTokenizerRoundTripsAnyText() {
    try (TextTokenizer t = TextTokenizer.fromJson(ByteLevelTokenizer.json(), dir.resolve("bytes"))) {
      String text = "Ünïcode, tabs\t and\n\nnew paragraphs — ok.";
      int[] ids = t.encode(text, true);
      assertThat(ids[0]).isEqualTo(ByteLevelTokenizer.BOS);
      assertThat(ids).hasSize(1 + text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
      for (int id : ids) {
        assertThat(id).isLessThan(ByteLevelTokenizer.VOCAB_SIZE);
      }
      assertThat(t.decode(ids)).isEqualTo(text);
    }
  }
}
