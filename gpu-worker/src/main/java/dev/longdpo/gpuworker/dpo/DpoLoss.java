package dev.longdpo.gpuworker.dpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;
import dev.longdpo.model.nn.Constants;

/**
 * Sigmoid DPO (Rafailov et al.), stepwise: with the implicit reward {@code r = β·(log π(y|x) − log
 * π_ref(y|x))} of each step given its prefix,
 *
 * <p>{@code L = −(1 − ε)·log σ(r_chosen − r_rejected) − ε·log σ(r_rejected − r_chosen)}
 *
 * <p>averaged over the batch (ε = label smoothing, 0 for plain DPO), or weighted by pair. Labels
 * are the reference log-probs {@code [chosen, rejected]} carried by the pairs, predictions the
 * policy's.
 */
public final class DpoLoss extends Loss {

  private final float beta;
  private final float labelSmoothing;

  /** A DPO loss with temperature {@code beta} and {@code labelSmoothing} in [0, 0.5). */
  public DpoLoss(double beta, double labelSmoothing) {
    super("DpoLoss");
    this.beta = (float) beta;
    this.labelSmoothing = (float) labelSmoothing;
  }

  /** The chosen and rejected implicit rewards, {@code [B]} each. */
  public NDArray[] rewards(NDList reference, NDList policy) {
    NDArray chosen = Constants.mul(policy.get(0).sub(reference.get(0)), beta);
    NDArray rejected = Constants.mul(policy.get(1).sub(reference.get(1)), beta);
    return new NDArray[] {chosen, rejected};
  }

  @Override
  public NDArray evaluate(NDList reference, NDList policy) {
    return perPair(reference, policy).mean();
  }

  /** The weighted mean {@code Σ w·l / Σ w} over the batch, {@code weights} {@code [B]}. */
  public NDArray evaluate(NDList reference, NDList policy, NDArray weights) {
    return weightedSum(reference, policy, weights).div(weights.sum());
  }

  /** {@code Σ w·l} over the pairs given, for a batch run in groups (the caller divides by Σ w). */
  public NDArray weightedSum(NDList reference, NDList policy, NDArray weights) {
    return perPair(reference, policy).mul(weights).sum();
  }

  private NDArray perPair(NDList reference, NDList policy) {
    NDArray[] r = rewards(reference, policy);
    NDArray margin = r[0].sub(r[1]);
    // log σ(x) = −softplus(−x), computed stably.
    NDArray loss = Constants.mul(Activation.softPlus(margin.neg()), 1 - labelSmoothing);
    if (labelSmoothing > 0) {
      loss = loss.add(Constants.mul(Activation.softPlus(margin), labelSmoothing));
    }
    return loss;
  }
}
