package dev.longdpo.protocol.search;

import java.util.List;

/**
 * A judge's verdict on a step.
 *
 * @param principles the seven principle scores, 1–5, in LongDPO's order
 * @param lengthTerm 0–10 (the final S_l / 10 for a step that ends the answer)
 * @param quality mean of the principles
 * @param value quality + length term
 */
public record StepScore(List<Double> principles, double lengthTerm, double quality, double value) {

  /** Copies the list. */
  public StepScore {
    principles = List.copyOf(principles);
  }
}
