package dev.longdpo.model.tokenizer;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A tokenizer that needs no training: one token per byte (GPT-2's byte-to-character mapping) plus
 * {@code <unk>}, {@code <s>} (BOS) and {@code </s>} (EOS). It lets a freshly initialized random
 * model read and write any text; real checkpoints bring their own tokenizer.
 */
public final class ByteLevelTokenizer {

  /** Ids of the special tokens. */
  public static final int UNK = 0;

  /** Beginning of sequence. */
  public static final int BOS = 1;

  /** End of sequence. */
  public static final int EOS = 2;

  /** Number of ids the tokenizer uses (3 specials + 256 bytes). */
  public static final int VOCAB_SIZE = 259;

  private ByteLevelTokenizer() {}

  /** The {@code tokenizer.json} text. */
  public static String json() {
    ObjectNode root = TokenizerJson.root();
    String[] specials = {"<unk>", "<s>", "</s>"};
    ObjectNode vocab = root.objectNode();
    for (int i = 0; i < specials.length; i++) {
      TokenizerJson.addSpecialToken(root, i, specials[i]);
      vocab.put(specials[i], i);
    }
    for (int b = 0; b < 256; b++) {
      vocab.put(String.valueOf(byteChar(b)), specials.length + byteRank(b));
    }
    root.putNull("normalizer");
    root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false)
        .put("trim_offsets", true).put("use_regex", true);
    TokenizerJson.putBosPostProcessor(root, "<s>", BOS);
    root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", false)
        .put("trim_offsets", true).put("use_regex", true);
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.put("unk_token", "<unk>");
    model.putNull("continuing_subword_prefix");
    model.putNull("end_of_word_suffix");
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    model.set("vocab", vocab);
    model.putArray("merges");
    return root.toString();
  }

  /** GPT-2's printable character for a byte. */
  static char byteChar(int b) {
    if (printable(b)) {
      return (char) b;
    }
    int n = 0;
    for (int i = 0; i < b; i++) {
      if (!printable(i)) {
        n++;
      }
    }
    return (char) (256 + n);
  }

  /** Bytes ordered by value; the rank is the byte itself. */
  private static int byteRank(int b) {
    return b;
  }

  private static boolean printable(int b) {
    return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
  }
}
