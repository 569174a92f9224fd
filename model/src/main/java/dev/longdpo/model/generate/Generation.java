package dev.longdpo.model.generate;

import java.util.Optional;

/**
 * One generated continuation. Holds arrays, so it is a class with defensive copies rather than a
 * record.
 */
public final class Generation {

  private final int[] tokenIds;
  private final float[] tokenLogProbs;
  private final String text;
  private final StopCause stopCause;
  private final Optional<PrefixState> state;

  /**
   * @param tokenIds generated ids, including an ending EOS or stop token
   * @param tokenLogProbs for each id, its log-prob under the raw model (temperature 1, no filter,
   *     no hook)
   * @param text decoded text without special tokens, cut before a stop string
   * @param stopCause what ended it
   * @param state prefix + output, if the request asked to keep it
   */
  public Generation(
      int[] tokenIds,
      float[] tokenLogProbs,
      String text,
      StopCause stopCause,
      Optional<PrefixState> state) {
    if (tokenIds.length != tokenLogProbs.length) {
      throw new IllegalArgumentException("one log-prob per token");
    }
    this.tokenIds = tokenIds.clone();
    this.tokenLogProbs = tokenLogProbs.clone();
    this.text = text;
    this.stopCause = stopCause;
    this.state = state;
  }

  /** Generated token ids. */
  public int[] tokenIds() {
    return tokenIds.clone();
  }

  /** Raw-model log-prob of each generated token. */
  public float[] tokenLogProbs() {
    return tokenLogProbs.clone();
  }

  /** Sum of the raw-model log-probs: the sequence's log-likelihood given its prefix. */
  public double sumLogProb() {
    double s = 0;
    for (float v : tokenLogProbs) {
      s += v;
    }
    return s;
  }

  /** Mean raw-model log-prob per token (0 for an empty generation). */
  public double meanLogProb() {
    return tokenIds.length == 0 ? 0 : sumLogProb() / tokenIds.length;
  }

  /** Number of generated tokens. */
  public int length() {
    return tokenIds.length;
  }

  /** Decoded text. */
  public String text() {
    return text;
  }

  /** Why it ended. */
  public StopCause stopCause() {
    return stopCause;
  }

  /** {@code stop} or {@code length}. */
  public FinishReason finishReason() {
    return stopCause.finishReason();
  }

  /** Whether the model ended its answer (sampled end of sequence). */
  public boolean endedWithEos() {
    return stopCause == StopCause.EOS;
  }

  /** Prefix + output, when kept. */
  public Optional<PrefixState> state() {
    return state;
  }
}
