package dev.longdpo.protocol.search;

import java.util.List;

/**
 * A critic's suggestion as it travels: text, confidence and what decoding must enforce.
 *
 * @param principle the principle the better sibling won on
 * @param text the suggestion in words
 * @param confidence 1–5
 * @param avoid phrases to keep out
 * @param add phrases to bring in
 * @param length LONGER, SHORTER or KEEP
 */
public record Guidance(String principle, String text, int confidence, List<String> avoid, List<String> add, String length) {

  /** Copies the lists. */
  public Guidance {
    avoid = List.copyOf(avoid);
    add = List.copyOf(add);
  }
}
