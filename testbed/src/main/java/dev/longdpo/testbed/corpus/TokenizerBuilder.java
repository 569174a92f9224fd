package dev.longdpo.testbed.corpus;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longdpo.model.tokenizer.TokenizerJson;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the testbed's word-level tokenizer from text and saves it as a Hugging Face {@code
 * tokenizer.json}, so it loads through the same path as a real model's.
 *
 * <p>Pieces carry their leading space (" city", "city"), digits are single pieces (a year is four
 * tokens the model can copy from the prompt), and runs of newlines are pieces of their own, so a
 * paragraph break is one token that ends a search step. Decoding fuses the pieces back into the
 * exact text. Anything unseen becomes {@code <unk>}, so any prompt tokenizes.
 */
public final class TokenizerBuilder {

  /** The pre-tokenizer's split pattern (the same regex syntax in Java and Oniguruma). */
  public static final String PATTERN = "\\n+| ?[A-Za-z]+| ?[0-9]| ?[^\\sA-Za-z0-9]|\\s";

  /** Special tokens, with fixed ids 0..5. */
  public static final List<String> SPECIALS = List.of("<unk>", "<s>", "</s>", "<pad>", "[INST]", "[/INST]");

  /** Id of {@code <unk>}. */
  public static final int UNK = 0;

  /** Id of {@code <s>}. */
  public static final int BOS = 1;

  /** Id of {@code </s>}. */
  public static final int EOS = 2;

  /** Id of {@code <pad>}. */
  public static final int PAD = 3;

  private static final Pattern SPLIT = Pattern.compile(PATTERN);

  private final Map<String, Integer> counts = new LinkedHashMap<>();

  /** Counts the pieces of a text. */
  public TokenizerBuilder add(String text) {
    for (String p : pieces(text)) {
      counts.merge(p, 1, Integer::sum);
    }
    return this;
  }

  /** Counts the pieces of many texts. */
  public TokenizerBuilder addAll(Collection<String> texts) {
    texts.forEach(this::add);
    return this;
  }

  /** Pieces of a text as the pre-tokenizer splits it (special tokens are not recognized here). */
  public static List<String> pieces(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = SPLIT.matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  /** The vocabulary: specials, then pieces by falling count (ties alphabetical), at most {@code max}. */
  public List<String> vocabulary(int max) {
    List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
    entries.removeIf(e -> SPECIALS.contains(e.getKey()));
    entries.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
        .thenComparing(Map.Entry.comparingByKey()));
    List<String> vocab = new ArrayList<>(SPECIALS);
    for (Map.Entry<String, Integer> e : entries) {
      if (vocab.size() >= max) {
        break;
      }
      vocab.add(e.getKey());
    }
    return vocab;
  }

  /** The {@code tokenizer.json} text for a vocabulary from {@link #vocabulary}. */
  public static String toJson(List<String> vocabulary) {
    ObjectNode root = TokenizerJson.root();
    for (int i = 0; i < SPECIALS.size(); i++) {
      TokenizerJson.addSpecialToken(root, i, SPECIALS.get(i));
    }
    root.putNull("normalizer");
    ObjectNode pre = root.putObject("pre_tokenizer");
    pre.put("type", "Split");
    pre.putObject("pattern").put("Regex", PATTERN);
    pre.put("behavior", "Isolated");
    pre.put("invert", false);
    TokenizerJson.putBosPostProcessor(root, "<s>", BOS);
    root.putObject("decoder").put("type", "Fuse");
    ObjectNode model = root.putObject("model");
    model.put("type", "WordLevel");
    ObjectNode vocab = model.putObject("vocab");
    for (int i = 0; i < vocabulary.size(); i++) {
      vocab.put(vocabulary.get(i), i);
    }
    model.put("unk_token", "<unk>");
    return root.toString();
  }
}
