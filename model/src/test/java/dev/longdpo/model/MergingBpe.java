package dev.longdpo.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longdpo.model.tokenizer.ByteLevelTokenizer;
import dev.longdpo.model.tokenizer.TextTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A byte-level BPE tokenizer that merges punctuation with newlines the way Llama 3's and Qwen 2's
 * do ({@code ".\n\n"} is one token), for tests of steps cut on text (shared through the test jar).
 */
public final class MergingBpe {

  private static final String NL = "\u010A"; // GPT-2's character for the byte '\n'

  /** {@code ".\n"}. */
  public static final int DOT_NL = ByteLevelTokenizer.VOCAB_SIZE;
  /** {@code ".\n\n"}. */
  public static final int DOT_NL_NL = DOT_NL + 1;
  /** {@code "\n\n"}. */
  public static final int NL_NL = DOT_NL + 2;
  /** {@code "\n\nT"}: a blank line and the next paragraph's first letter in one token. */
  public static final int NL_NL_T = DOT_NL + 3;
  /** Ids in use. */
  public static final int VOCAB_SIZE = DOT_NL + 4;

  private MergingBpe() {}

  /** The id of one byte's token. */
  public static int byteToken(char c) {
    return 3 + c;
  }

  /** The tokenizer. */
  public static TextTokenizer tokenizer() {
    try {
      ObjectNode root = (ObjectNode) new ObjectMapper().readTree(ByteLevelTokenizer.json());
      ObjectNode model = (ObjectNode) root.get("model");
      ObjectNode vocab = (ObjectNode) model.get("vocab");
      vocab.put("." + NL, DOT_NL).put("." + NL + NL, DOT_NL_NL).put(NL + NL, NL_NL).put(NL + NL + "T", NL_NL_T);
      ArrayNode merges = model.putArray("merges");
      for (String m : List.of(". " + NL, "." + NL + " " + NL, NL + " " + NL, NL + NL + " T")) {
        merges.add(m);
      }
      return TextTokenizer.fromJson(root.toString(), Path.of("<merging-bpe>"));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A random two-layer model over this vocabulary, with the tokenizer. */
  public static LanguageModel randomModel(long seed) {
    LlamaConfig c = LlamaConfig.of(VOCAB_SIZE, 32, 48, 2, 4, 2, 256)
        .withSpecialTokens(Optional.of(ByteLevelTokenizer.BOS), List.of(ByteLevelTokenizer.EOS), Optional.empty());
    return LanguageModel.random(c, seed, Optional.of(tokenizer()), false);
  }
}
