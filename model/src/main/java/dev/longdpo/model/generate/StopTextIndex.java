package dev.longdpo.model.generate;

import dev.longdpo.model.tokenizer.TextTokenizer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which tokens can complete a stop text, so that decoding runs only after those. A token completes
 * a text by appending its last character; a token whose own text lacks that character cannot. That
 * holds for a last character of one byte (a blank line's newline): byte-level and byte-fallback
 * tokenizers decode such a byte alone. For other last characters every token is a candidate.
 */
final class StopTextIndex {

  private final TextTokenizer tokenizer;
  private final int vocabSize;
  private final ConcurrentHashMap<Character, boolean[]> containing = new ConcurrentHashMap<>();

  StopTextIndex(TextTokenizer tokenizer, int vocabSize) {
    this.tokenizer = tokenizer;
    this.vocabSize = vocabSize;
  }

  /** Whether {@code token} may be the one that completes {@code text}. */
  boolean mayComplete(String text, int token) {
    char last = text.charAt(text.length() - 1);
    if (last >= 0x80) {
      return true;
    }
    return containing.computeIfAbsent(last, this::tokensContaining)[token];
  }

  private boolean[] tokensContaining(char c) {
    boolean[] out = new boolean[vocabSize];
    int[] one = new int[1];
    for (int id = 0; id < vocabSize; id++) {
      one[0] = id;
      out[id] = tokenizer.decode(one).indexOf(c) >= 0;
    }
    return out;
  }
}
