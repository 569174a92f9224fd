package dev.longdpo.protocol.text;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Word counting exactly as LongWriter's {@code count_words}: runs of ASCII letters, plus each CJK
 * character. Digits and punctuation are not words.
 */
public final class Words {

  private static final Pattern WORD = Pattern.compile("[a-zA-Z]+");

  private Words() {}

  /** Number of words in {@code text}. */
  public static int count(String text) {
    int n = 0;
    Matcher m = WORD.matcher(text);
    while (m.find()) {
      n++;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '\u4e00' && c <= '\u9fff') {
        n++;
      }
    }
    return n;
  }
}
