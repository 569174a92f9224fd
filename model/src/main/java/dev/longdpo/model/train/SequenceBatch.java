package dev.longdpo.model.train;

import java.util.List;

/**
 * Token sequences right-padded to one length, with a mask saying which next-token predictions
 * count. Right padding is safe for a causal model: real positions never attend to the padding
 * after them.
 *
 * <p>Holds arrays; built by {@link #of} from per-sequence lists.
 */
public final class SequenceBatch {

  private final int batch;
  private final int length;
  private final long[] ids;
  private final float[] targetMask;

  private SequenceBatch(int batch, int length, long[] ids, float[] targetMask) {
    this.batch = batch;
    this.length = length;
    this.ids = ids;
    this.targetMask = targetMask;
  }

  /**
   * Builds a batch.
   *
   * @param sequences token ids of each sequence (at least 2 tokens each)
   * @param firstTarget per sequence, the index of the first token whose prediction counts (1 =
   *     every token after the first; the prefix length, to train on a continuation only)
   * @param padId id placed after each sequence's end (never predicted, never a target)
   */
  public static SequenceBatch of(List<int[]> sequences, int[] firstTarget, int padId) {
    if (sequences.isEmpty() || sequences.size() != firstTarget.length) {
      throw new IllegalArgumentException("one firstTarget per sequence, at least one sequence");
    }
    int max = 0;
    for (int[] s : sequences) {
      if (s.length < 2) {
        throw new IllegalArgumentException("a training sequence needs at least 2 tokens");
      }
      max = Math.max(max, s.length);
    }
    int b = sequences.size();
    long[] ids = new long[b * max];
    float[] mask = new float[b * (max - 1)];
    for (int i = 0; i < b; i++) {
      int[] s = sequences.get(i);
      for (int t = 0; t < max; t++) {
        ids[i * max + t] = t < s.length ? s[t] : padId;
      }
      int from = Math.max(1, firstTarget[i]);
      for (int t = from; t < s.length; t++) {
        mask[i * (max - 1) + t - 1] = 1f;
      }
    }
    return new SequenceBatch(b, max, ids, mask);
  }

  /** Rows. */
  public int batch() {
    return batch;
  }

  /** Padded length. */
  public int length() {
    return length;
  }

  /** Row-major ids {@code [batch, length]}. */
  long[] ids() {
    return ids;
  }

  /** Row-major mask {@code [batch, length - 1]}: 1 where predicting token t+1 counts. */
  float[] targetMask() {
    return targetMask;
  }

  /** Number of target tokens that count. */
  public int targetCount() {
    int n = 0;
    for (float m : targetMask) {
      n += m > 0 ? 1 : 0;
    }
    return n;
  }
}
