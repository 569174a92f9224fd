package dev.longdpo.testbed.world;

import java.util.Optional;

/**
 * A sentence pattern. Slots are {@code {E}} (the subject entity) and {@code {attribute}} (one of
 * the subject's attribute values). A template that names an attribute states a fact about it.
 *
 * @param aspect what the sentence is about (history, economy, ...), or "intro"/"conclusion"
 * @param pattern the text with slots
 * @param attribute the attribute whose value the sentence states, if any
 */
public record Template(String aspect, String pattern, Optional<String> attribute) {

  /** A template that states no fact. */
  public static Template neutral(String aspect, String pattern) {
    return new Template(aspect, pattern, Optional.empty());
  }

  /** A template that states {@code attribute}'s value through the slot of the same name. */
  public static Template fact(String aspect, String attribute, String pattern) {
    if (!pattern.contains("{" + attribute + "}")) {
      throw new IllegalArgumentException(pattern + " has no {" + attribute + "} slot");
    }
    return new Template(aspect, pattern, Optional.of(attribute));
  }

  /** The sentence for a subject and its attributes. */
  public String render(String subject, java.util.Map<String, String> values) {
    String s = pattern.replace("{E}", subject);
    for (var e : values.entrySet()) {
      s = s.replace("{" + e.getKey() + "}", e.getValue());
    }
    return s;
  }
}
