package dev.longdpo.testbed.pretrain;

import dev.longdpo.model.generate.SamplingParams;

/**
 * The fixed decoding every report and evaluation row uses, so rows are comparable: temperature
 * 0.8, top-p 0.95, stop at end of sequence, and no token limit but the context, as in the paper's
 * evaluation (32k new tokens, far past any required length). A limit tied to the required length
 * would cut answers that run long before their conclusion, and the judge would then mark them down
 * for coherence: S_q would punish length, which S_l alone is meant to measure. Each task's seed is
 * derived from the run seed and the task id.
 */
public final class DecodingSettings {

  /** Sampling temperature. */
  public static final double TEMPERATURE = 0.8;

  /** Nucleus size. */
  public static final double TOP_P = 0.95;

  /** Tokens per word of testbed text, measured on the corpus (about 1.3), with margin; for token budgets. */
  public static final double TOKENS_PER_WORD = 1.35;

  private DecodingSettings() {}

  /** The sampling parameters for a prompt that takes {@code promptTokens} of the context. */
  public static SamplingParams forPrompt(int promptTokens, int contextLength) {
    return SamplingParams.sampling(TEMPERATURE, Math.max(1, contextLength - promptTokens)).withTopP(TOP_P);
  }

  /** A per-task seed from a run seed and the task's id. */
  public static long seed(long runSeed, String taskId) {
    long h = runSeed * 0x9E3779B97F4A7C15L;
    for (char c : taskId.toCharArray()) {
      h = (h ^ c) * 0x100000001B3L;
    }
    return h;
  }
}
