package dev.longdpo.testbed.pretrain;

import dev.longdpo.model.generate.SamplingParams;
import dev.longdpo.testbed.task.WritingTask;

/**
 * The fixed decoding every report and evaluation row uses, so rows are comparable: temperature
 * 0.8, top-p 0.95, stop at end of sequence, a token limit of about twice the required length (and
 * never past the context). Each task's seed is derived from the run seed and the task id.
 */
public final class DecodingSettings {

  /** Sampling temperature. */
  public static final double TEMPERATURE = 0.8;

  /** Nucleus size. */
  public static final double TOP_P = 0.95;

  /** Tokens per word of testbed text, measured on the corpus (about 1.3), with margin. */
  public static final double TOKENS_PER_WORD = 1.35;

  private DecodingSettings() {}

  /** The sampling parameters for a task whose prompt takes {@code promptTokens} of the context. */
  public static SamplingParams forTask(WritingTask task, int promptTokens, int contextLength) {
    int budget = (int) Math.ceil(task.length() * 2.0 * TOKENS_PER_WORD) + 16;
    int room = Math.max(1, contextLength - promptTokens);
    return SamplingParams.sampling(TEMPERATURE, Math.min(budget, room)).withTopP(TOP_P);
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
