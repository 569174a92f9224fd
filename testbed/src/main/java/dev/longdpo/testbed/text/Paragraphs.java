package dev.longdpo.testbed.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Paragraphs (separated by blank lines) and their sentences. A paragraph may open with a section
 * header such as {@code Week 3:}, which is not a sentence.
 */
public final class Paragraphs {

  /** The paragraph separator the testbed writes. */
  public static final String SEPARATOR = "\n\n";

  private static final Pattern BREAK = Pattern.compile("\\n\\s*\\n+");
  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+");
  private static final Pattern HEADER = Pattern.compile("^\\s*([A-Z][a-z]+) (\\d+):\\s*");

  private Paragraphs() {}

  /** Non-blank paragraphs, trimmed. */
  public static List<String> split(String text) {
    List<String> out = new ArrayList<>();
    for (String p : BREAK.split(text)) {
      String t = p.strip();
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return out;
  }

  /** A section header at the start of a paragraph: its label and number. */
  public record Header(String label, int number) {}

  /** The paragraph's section header, if it has one. */
  public static java.util.Optional<Header> header(String paragraph) {
    Matcher m = HEADER.matcher(paragraph);
    if (!m.find()) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(new Header(m.group(1), Integer.parseInt(m.group(2))));
    } catch (NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }

  /** The paragraph without its section header. */
  public static String body(String paragraph) {
    Matcher m = HEADER.matcher(paragraph);
    return m.find() ? paragraph.substring(m.end()) : paragraph.strip();
  }

  /** Sentences of a paragraph (its header removed), trimmed, in order. */
  public static List<String> sentences(String paragraph) {
    List<String> out = new ArrayList<>();
    for (String s : SENTENCE_END.split(body(paragraph))) {
      String t = s.strip();
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return out;
  }

  /** Every sentence of a text, paragraph by paragraph. */
  public static List<String> allSentences(String text) {
    List<String> out = new ArrayList<>();
    for (String p : split(text)) {
      out.addAll(sentences(p));
    }
    return out;
  }
}
