package dev.longdpo.protocol.search;

/**
 * How search steps are sampled.
 *
 * @param temperature sampling temperature
 * @param topP nucleus size
 * @param maxStepTokens a step ends at a paragraph break, the end of the answer, or this many tokens
 */
public record StepDecoding(double temperature, double topP, int maxStepTokens) {}
