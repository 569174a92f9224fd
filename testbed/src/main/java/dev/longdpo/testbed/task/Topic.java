package dev.longdpo.testbed.task;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a testbed task is about: a subject of some kind and the facts the text must respect.
 *
 * @param kind the lexicon kind ("city", ...)
 * @param subject the subject's name
 * @param facts attribute → value, in prompt order
 */
public record Topic(String kind, String subject, Map<String, String> facts) {

  /** Keeps the facts' order. */
  public Topic {
    facts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts));
  }
}
