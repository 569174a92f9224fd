package dev.longdpo.actors.backend;

/**
 * A factual statement: (entity, attribute, value) and the sentence it came from.
 *
 * @param entity what it is about
 * @param attribute which property
 * @param value the stated value
 * @param sentence the source sentence
 */
public record StatedFact(String entity, String attribute, String value, String sentence) {}
