package dev.longdpo.model.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks tokens from logits in Java: greedy, temperature, top-k, top-p. Runs on one row's logits
 * copied out of the model, which for the vocabularies we run is cheaper than more native calls.
 *
 * <p>Ties are broken by the lower token id, so results depend only on the logits and the seed.
 */
final class Sampler {

  private Sampler() {}

  /** Log-probability of {@code token} under {@code logits} (log-softmax, in double). */
  static double logProb(float[] logits, int token) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : logits) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (float v : logits) {
      sum += Math.exp(v - max);
    }
    return logits[token] - max - Math.log(sum);
  }

  /** Index of the largest logit (lowest id on ties); -1 if every logit is minus infinity. */
  static int argmax(float[] logits) {
    int best = -1;
    float bestValue = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < logits.length; i++) {
      if (logits[i] > bestValue) {
        bestValue = logits[i];
        best = i;
      }
    }
    return best;
  }

  /**
   * Draws a token.
   *
   * @param logits processed logits (after hooks); not modified
   * @return a token id, or -1 if the hooks banned every token
   */
  static int sample(float[] logits, SamplingParams p, SplittableRandom rng) {
    if (p.isGreedy() || p.topK() == 1) {
      return argmax(logits);
    }
    int best = argmax(logits);
    if (best < 0) {
      return -1;
    }
    double invT = 1.0 / p.temperature();
    double max = logits[best] * invT;
    if (p.topK() == 0 && p.topP() >= 1) {
      // Plain sampling needs no ordering: walk the vocabulary once.
      double total = 0;
      double[] w = new double[logits.length];
      for (int i = 0; i < logits.length; i++) {
        w[i] = logits[i] == Float.NEGATIVE_INFINITY ? 0 : Math.exp(logits[i] * invT - max);
        total += w[i];
      }
      double u = rng.nextDouble() * total;
      for (int i = 0; i < w.length; i++) {
        u -= w[i];
        if (u < 0 && w[i] > 0) {
          return i;
        }
      }
      return best;
    }
    // Candidates in descending logit order (ascending id on ties). Under top-p alone, a token whose
    // probability is below (1 - p) / V can never enter the nucleus, so it is not sorted at all.
    double total = 0;
    for (float v : logits) {
      if (v != Float.NEGATIVE_INFINITY) {
        total += Math.exp(v * invT - max);
      }
    }
    double floor = p.topK() == 0 ? (1 - p.topP()) / logits.length * total : 0;
    long[] keys = new long[logits.length];
    int n = 0;
    for (int i = 0; i < logits.length; i++) {
      float v = logits[i];
      if (v == Float.NEGATIVE_INFINITY || Float.isNaN(v) || Math.exp(v * invT - max) < floor) {
        continue;
      }
      keys[n++] = ((long) sortable(-v) << 32) | i;
    }
    Arrays.sort(keys, 0, n);
    int keep = p.topK() > 0 ? Math.min(p.topK(), n) : n;
    double[] weights = new double[keep];
    double kept = 0;
    for (int i = 0; i < keep; i++) {
      weights[i] = Math.exp(logits[(int) keys[i]] * invT - max);
      kept += weights[i];
    }
    if (p.topP() < 1) {
      double norm = p.topK() > 0 ? kept : total;
      double cumulative = 0;
      int cut = keep;
      for (int i = 0; i < keep; i++) {
        cumulative += weights[i] / norm;
        if (cumulative >= p.topP()) {
          cut = i + 1;
          break;
        }
      }
      keep = cut;
      kept = 0;
      for (int i = 0; i < keep; i++) {
        kept += weights[i];
      }
    }
    double u = rng.nextDouble() * kept;
    for (int i = 0; i < keep; i++) {
      u -= weights[i];
      if (u < 0) {
        return (int) keys[i];
      }
    }
    return (int) keys[keep - 1];
  }

  /** Maps a float to an int whose signed order is the float's order. */
  private static int sortable(float f) {
    int bits = Float.floatToIntBits(f);
    return bits ^ ((bits >> 31) & 0x7fffffff);
  }
}
