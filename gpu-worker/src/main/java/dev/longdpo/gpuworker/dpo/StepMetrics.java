package dev.longdpo.gpuworker.dpo;

/**
 * One training step, with TRL's metric names in {@link #asMap}.
 *
 * @param step optimizer steps so far
 * @param loss the loss minimised: the DPO loss plus the weighted NLL term
 * @param dpoLoss its DPO part
 * @param nllLoss the NLL of the chosen steps, before its weight (0 when not weighted in)
 * @param rewardsChosen mean β·(log π − log π_ref) of chosen steps
 * @param rewardsRejected the same for rejected steps
 * @param rewardsAccuracy share of pairs whose chosen reward beats the rejected one
 * @param logpsChosen mean policy log-prob of chosen steps
 * @param logpsRejected mean policy log-prob of rejected steps
 * @param gradNorm gradient norm before clipping
 * @param learningRate the rate used
 * @param pairsConsumed pairs trained on so far
 * @param trainedTokens chosen + rejected tokens trained on so far
 * @param staleness mean (trainer version − the policy version that produced the pair)
 * @param skipped whether the step was skipped (non-finite loss or gradient)
 */
public record StepMetrics(
    long step,
    double loss,
    double dpoLoss,
    double nllLoss,
    double rewardsChosen,
    double rewardsRejected,
    double rewardsAccuracy,
    double logpsChosen,
    double logpsRejected,
    double gradNorm,
    double learningRate,
    long pairsConsumed,
    long trainedTokens,
    double staleness,
    boolean skipped) {

  /** The margin between chosen and rejected rewards. */
  public double rewardsMargin() {
    return rewardsChosen - rewardsRejected;
  }

  /** The metrics under TRL's names. */
  public java.util.Map<String, Double> asMap() {
    java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
    m.put("step", (double) step);
    m.put("loss", loss);
    m.put("dpo_loss", dpoLoss);
    m.put("nll_loss", nllLoss);
    m.put("rewards/chosen", rewardsChosen);
    m.put("rewards/rejected", rewardsRejected);
    m.put("rewards/margins", rewardsMargin());
    m.put("rewards/accuracies", rewardsAccuracy);
    m.put("logps/chosen", logpsChosen);
    m.put("logps/rejected", logpsRejected);
    m.put("grad_norm", gradNorm);
    m.put("learning_rate", learningRate);
    m.put("pairs_consumed", (double) pairsConsumed);
    m.put("trained_tokens", (double) trainedTokens);
    m.put("staleness", staleness);
    return m;
  }

  /** The metrics back from {@link #asMap}'s names (a step record's fields). */
  public static StepMetrics fromMap(java.util.Map<String, Double> m, boolean skipped) {
    return new StepMetrics(m.get("step").longValue(), m.get("loss"), m.getOrDefault("dpo_loss", Double.NaN),
        m.getOrDefault("nll_loss", Double.NaN), m.get("rewards/chosen"), m.get("rewards/rejected"),
        m.get("rewards/accuracies"), m.get("logps/chosen"), m.get("logps/rejected"), m.get("grad_norm"),
        m.get("learning_rate"), m.get("pairs_consumed").longValue(), m.get("trained_tokens").longValue(),
        m.get("staleness"), skipped);
  }
}
