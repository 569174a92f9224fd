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
    // probability is below (1 - p) / V can never enter the nucleus, so it is not a candidate.
    double[] e = new double[logits.length];
    double total = 0;
    for (int i = 0; i < logits.length; i++) {
      float v = logits[i];
      if (v != Float.NEGATIVE_INFINITY) {
        e[i] = Math.exp(v * invT - max);
        total += e[i];
      }
    }
    double floor = p.topK() == 0 ? (1 - p.topP()) / logits.length * total : 0;
    long[] keys = new long[logits.length];
    int n = 0;
    for (int i = 0; i < logits.length; i++) {
      float v = logits[i];
      if (v == Float.NEGATIVE_INFINITY || Float.isNaN(v) || e[i] < floor) {
        continue;
      }
      keys[n++] = ((long) sortable(-v) << 32) | i;
    }
    // Only the head of that order is ever read: the top k, or the nucleus. It is sorted a
    // growing block at a time (the block's keys selected first), so a peaked distribution sorts a
    // few dozen keys instead of every candidate; the order read is the full sort's.
    int keep;
    double kept = 0;
    if (p.topK() > 0) {
      keep = Math.min(p.topK(), n);
      sortHead(keys, 0, keep, n);
      for (int i = 0; i < keep; i++) {
        kept += e[(int) keys[i]];
      }
    } else {
      keep = n;
    }
    if (p.topP() < 1) {
      double norm = p.topK() > 0 ? kept : total;
      double cumulative = 0;
      int cut = keep;
      int sorted = p.topK() > 0 ? keep : 0;
      for (int i = 0; i < keep; i++) {
        if (i == sorted) {
          int block = Math.min(keep, Math.max(sorted * 4, FIRST_BLOCK));
          sortHead(keys, sorted, block, keep);
          sorted = block;
        }
        cumulative += e[(int) keys[i]] / norm;
        if (cumulative >= p.topP()) {
          cut = i + 1;
          break;
        }
      }
      keep = cut; // within the sorted head: the loop sorts ahead of i
      kept = 0;
      for (int i = 0; i < keep; i++) {
        kept += e[(int) keys[i]];
      }
    }
    double u = rng.nextDouble() * kept;
    for (int i = 0; i < keep; i++) {
      u -= e[(int) keys[i]];
      if (u < 0) {
        return (int) keys[i];
      }
    }
    return (int) keys[keep - 1];
  }

  /** Keys the nucleus search sorts first; grown fourfold while the nucleus is not reached. */
  private static final int FIRST_BLOCK = 32;

  /**
   * Puts the smallest keys of {@code a[from, n)} into {@code a[from, to)}, sorted. The keys are
   * distinct (each carries its token id), so the result does not depend on how they are found.
   */
  static void sortHead(long[] a, int from, int to, int n) {
    if (to <= from) {
      return;
    }
    if (to < n) {
      select(a, from, n, to - 1);
    }
    Arrays.sort(a, from, to);
  }

  /** Rearranges {@code a[lo, hi)} so that {@code a[k]} holds its sorted value, smaller keys before it. */
  private static void select(long[] a, int lo, int hi, int k) {
    int left = lo;
    int right = hi - 1;
    while (right > left) {
      int mid = (left + right) >>> 1;
      long pivot = median(a[left], a[mid], a[right]);
      int i = left;
      int j = right;
      while (i <= j) {
        while (a[i] < pivot) {
          i++;
        }
        while (a[j] > pivot) {
          j--;
        }
        if (i <= j) {
          long t = a[i];
          a[i] = a[j];
          a[j] = t;
          i++;
          j--;
        }
      }
      if (k <= j) {
        right = j;
      } else if (k >= i) {
        left = i;
      } else {
        return;
      }
    }
  }

  private static long median(long x, long y, long z) {
    return Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
  }

  /** Maps a float to an int whose signed order is the float's order. */
  private static int sortable(float f) {
    int bits = Float.floatToIntBits(f);
    return bits ^ ((bits >> 31) & 0x7fffffff);
  }
}
