package dev.longdpo.testbed.judge;

import java.util.List;

/**
 * A critic's writing suggestion, as text and in machine-readable form.
 *
 * @param principle the principle on which the better sibling won
 * @param text the suggestion in words (what an LLM critic would write)
 * @param confidence 1–5
 * @param avoid phrases the rewrite must not contain
 * @param add phrases the rewrite should contain
 * @param length which way the length should go
 */
public record Suggestion(
    Principle principle, String text, int confidence, List<String> avoid, List<String> add, LengthDirection length) {

  /** Copies the lists and checks the confidence. */
  public Suggestion {
    avoid = List.copyOf(avoid);
    add = List.copyOf(add);
    if (confidence < 1 || confidence > 5) {
      throw new IllegalArgumentException("confidence " + confidence + " must be in 1..5");
    }
  }
}
