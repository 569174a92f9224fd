package dev.longdpo.model.train;

import java.util.Map;

/**
 * What one training step did.
 *
 * @param step updates applied so far (unchanged when skipped)
 * @param loss the loss before the update
 * @param gradNorm global gradient norm before clipping
 * @param learningRate the rate used
 * @param skipped true when the loss or gradient was not finite and no update was applied
 * @param metrics the loss function's metrics
 */
public record StepResult(
    long step,
    double loss,
    double gradNorm,
    double learningRate,
    boolean skipped,
    Map<String, Double> metrics) {}
