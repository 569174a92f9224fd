package dev.longdpo.testbed.judge;

/**
 * A factual statement extracted from text: (entity, attribute, value), with its sentence.
 *
 * @param entity the subject the sentence is about
 * @param attribute which of its attributes it states
 * @param value the stated value
 * @param sentence the sentence it came from
 */
public record Fact(String entity, String attribute, String value, String sentence) {}
