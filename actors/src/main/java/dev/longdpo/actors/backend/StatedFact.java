package dev.longdpo.actors.backend;

import java.util.Optional;

/**
 * A factual statement of an accepted step, as the memory pool keeps it: the statement itself, and
 * where the checker that found it has one, a structured form. The testbed's rule checker states
 * (entity, attribute, value) triples; a checker that is a language model may keep free text only.
 *
 * @param statement the statement (for the testbed, the sentence it came from)
 * @param triple its structured form, if the checker has one
 */
public record StatedFact(String statement, Optional<Triple> triple) {

  /**
   * A statement's structured form.
   *
   * @param entity what it is about
   * @param attribute which property
   * @param value the stated value
   */
  public record Triple(String entity, String attribute, String value) {}

  /** A statement with its triple. */
  public static StatedFact of(String entity, String attribute, String value, String statement) {
    return new StatedFact(statement, Optional.of(new Triple(entity, attribute, value)));
  }

  /** A statement in free text only. */
  public static StatedFact text(String statement) {
    return new StatedFact(statement, Optional.empty());
  }
}
