package dev.longdpo.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.longdpo.model.LlamaConfig;
import java.util.Arrays;
import java.util.Map;

/**
 * Rotary position embedding tables, computed in Java once per position and copied into each call.
 *
 * <p>Hugging Face rotates the two halves of each head: {@code x·cos + rotate_half(x)·sin} with
 * {@code rotate_half(x) = cat(-x2, x1)} and both halves sharing frequencies ({@code emb = cat(freqs,
 * freqs)}). We compute the same thing as {@code x·cos + swap_halves(x)·sinSigned}, where {@code
 * sinSigned} carries the minus sign of the first half; swapping halves is a single flip of a
 * {@code [.., 2, D/2]} view, one operation instead of split, negate and concatenate.
 */
public final class RotaryTable {

  private final int headDim;
  private final float[] invFreq;
  private float[] cos = new float[0];
  private float[] sinSigned = new float[0];
  private int positions;

  /** Frequencies from {@code rope_theta} and, if present, {@code rope_scaling}. */
  public RotaryTable(LlamaConfig config) {
    this.headDim = config.headDim();
    int half = headDim / 2;
    float[] freq = new float[half];
    for (int i = 0; i < half; i++) {
      // As torch: 1 / base ** (arange(0, dim, 2).float() / dim), in float32.
      float exponent = (float) (2 * i) / headDim;
      freq[i] = (float) (1.0 / (float) Math.pow(config.ropeTheta(), exponent));
    }
    config.ropeScaling().ifPresent(s -> scale(freq, s));
    this.invFreq = freq;
  }

  private static void scale(float[] freq, Map<String, Object> scaling) {
    Object type = scaling.getOrDefault("rope_type", scaling.get("type"));
    double factor = ((Number) scaling.getOrDefault("factor", 1.0)).doubleValue();
    if ("linear".equals(type)) {
      for (int i = 0; i < freq.length; i++) {
        freq[i] = (float) (freq[i] / factor);
      }
    } else if ("llama3".equals(type)) {
      double low = ((Number) scaling.get("low_freq_factor")).doubleValue();
      double high = ((Number) scaling.get("high_freq_factor")).doubleValue();
      double oldContext = ((Number) scaling.get("original_max_position_embeddings")).doubleValue();
      double lowWavelen = oldContext / low;
      double highWavelen = oldContext / high;
      for (int i = 0; i < freq.length; i++) {
        double wavelen = 2 * Math.PI / freq[i];
        if (wavelen > lowWavelen) {
          freq[i] = (float) (freq[i] / factor);
        } else if (wavelen >= highWavelen) {
          double smooth = (oldContext / wavelen - low) / (high - low);
          freq[i] = (float) ((1 - smooth) * freq[i] / factor + smooth * freq[i]);
        }
      }
    }
  }

  private synchronized void ensure(int upTo) {
    if (upTo <= positions) {
      return;
    }
    int n = Math.max(upTo, Math.max(64, positions * 2));
    float[] c = new float[n * headDim];
    float[] s = new float[n * headDim];
    int half = headDim / 2;
    for (int p = 0; p < n; p++) {
      for (int i = 0; i < half; i++) {
        float angle = p * invFreq[i]; // float32 product, as torch computes freqs
        float cv = (float) Math.cos(angle);
        float sv = (float) Math.sin(angle);
        c[p * headDim + i] = cv;
        c[p * headDim + half + i] = cv;
        s[p * headDim + i] = -sv;
        s[p * headDim + half + i] = sv;
      }
    }
    cos = c;
    sinSigned = s;
    positions = n;
  }

  /**
   * Cosines and signed sines for the given positions.
   *
   * @param manager owner of the returned arrays
   * @param positions {@code [B*T]} positions, row-major over batch then time
   * @param batch B
   * @param time T
   * @return {@code {cos, sinSigned}}, each {@code [B, T, 1, headDim]}
   */
  public NDArray[] tables(NDManager manager, int[] positions, int batch, int time) {
    int max = 0;
    for (int p : positions) {
      max = Math.max(max, p);
    }
    ensure(max + 1);
    float[] c;
    float[] s;
    synchronized (this) {
      c = new float[positions.length * headDim];
      s = new float[positions.length * headDim];
      for (int i = 0; i < positions.length; i++) {
        System.arraycopy(cos, positions[i] * headDim, c, i * headDim, headDim);
        System.arraycopy(sinSigned, positions[i] * headDim, s, i * headDim, headDim);
      }
    }
    Shape shape = new Shape(batch, time, 1, headDim);
    return new NDArray[] {manager.create(c, shape), manager.create(s, shape)};
  }

  /**
   * Tables for {@link FusedDecodeWeights}' rotation of one token per row: for each row the
   * multipliers of the plain and of the half-swapped projections, {@code cos} and {@code
   * sinSigned} for the query and key heads, 1 and 0 for the value heads.
   *
   * @param positions one position per row
   * @return shape {@code [B, 2, qHeads + 2·kvHeads, headDim]}
   */
  public NDArray decodePairs(NDManager manager, int[] positions, int qHeads, int kvHeads) {
    int max = 0;
    for (int p : positions) {
      max = Math.max(max, p);
    }
    ensure(max + 1);
    int rotated = qHeads + kvHeads;
    int heads = rotated + kvHeads;
    int block = heads * headDim;
    float[] out = new float[positions.length * 2 * block];
    synchronized (this) {
      for (int b = 0; b < positions.length; b++) {
        int from = positions[b] * headDim;
        int plain = b * 2 * block;
        int swapped = plain + block;
        for (int h = 0; h < rotated; h++) {
          System.arraycopy(cos, from, out, plain + h * headDim, headDim);
          System.arraycopy(sinSigned, from, out, swapped + h * headDim, headDim);
        }
        Arrays.fill(out, plain + rotated * headDim, plain + block, 1f);
      }
    }
    return manager.create(out, new Shape(positions.length, 2, heads, headDim));
  }

  /** Applies the rotation to {@code x} of shape {@code [B, T, heads, headDim]}. */
  public static NDArray rotate(NDArray x, NDArray cos, NDArray sinSigned) {
    Shape shape = x.getShape();
    long d = shape.get(3);
    NDArray swapped =
        x.reshape(shape.get(0), shape.get(1), shape.get(2), 2, d / 2).flip(3).reshape(shape);
    return x.mul(cos).add(swapped.mul(sinSigned));
  }
}
