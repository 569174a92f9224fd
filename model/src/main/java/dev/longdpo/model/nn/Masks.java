package dev.longdpo.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Additive attention masks. A blocked entry is {@value #BLOCKED}, not minus infinity: a row whose
 * keys are all blocked (a padding query) then softmaxes to a uniform row instead of NaN, and
 * {@code exp(-1e9 - max)} is exactly zero in float32, so visible rows are unaffected.
 */
public final class Masks {

  /** The additive value of a key a query must not see. */
  public static final float BLOCKED = -1e9f;

  private Masks() {}

  /**
   * A causal mask for {@code time} queries that follow {@code past} cached keys: query t sees keys
   * {@code 0 .. past + t}.
   *
   * @return shape {@code [1, 1, 1, time, past + time]}
   */
  public static NDArray causal(NDManager manager, int time, int past) {
    int keys = past + time;
    float[] m = new float[time * keys];
    for (int t = 0; t < time; t++) {
      Arrays.fill(m, t * keys + past + t + 1, (t + 1) * keys, BLOCKED);
    }
    return manager.create(m, new Shape(1, 1, 1, time, keys));
  }

  /**
   * A mask for single-token decoding over a left-padded buffer: row b may see slots {@code
   * firstSlot[b] ..} of {@code slots}.
   *
   * @return shape {@code [B, 1, 1, slots]}
   */
  public static NDArray leftPadded(NDManager manager, int[] firstSlot, int slots) {
    float[] m = new float[firstSlot.length * slots];
    for (int b = 0; b < firstSlot.length; b++) {
      Arrays.fill(m, b * slots, b * slots + firstSlot[b], BLOCKED);
    }
    return manager.create(m, new Shape(firstSlot.length, 1, 1, slots));
  }
}
