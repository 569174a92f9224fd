package dev.longdpo.model.generate;

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
    // Candidates: keys in descending logit order (ascending id on ties). Under top-p alone, a token
    // whose probability is below (1 - p) / V can never enter the nucleus, so it is not a candidate.
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
    // The kept tokens are a head of that order: the top k, then the nucleus. Both are found by
    // selection, in time linear in the candidates, not by sorting them: a near-flat distribution
    // has most of the vocabulary in its nucleus.
    int keep = n;
    double norm = total;
    if (p.topK() > 0) {
      keep = Math.min(p.topK(), n);
      if (keep < n) {
        select(keys, 0, n, keep - 1);
      }
      norm = 0;
      for (int i = 0; i < keep; i++) {
        norm += e[(int) keys[i]];
      }
    }
    if (p.topP() < 1) {
      keep = nucleus(keys, keep, e, p.topP() * norm);
    }
    // The draw walks the kept tokens in id order.
    boolean[] kept = new boolean[logits.length];
    double mass = 0;
    for (int i = 0; i < keep; i++) {
      kept[(int) keys[i]] = true;
    }
    int last = -1;
    for (int i = 0; i < logits.length; i++) {
      if (kept[i]) {
        mass += e[i];
        last = i;
      }
    }
    double u = rng.nextDouble() * mass;
    for (int i = 0; i < logits.length; i++) {
      if (kept[i]) {
        u -= e[i];
        if (u < 0) {
          return i;
        }
      }
    }
    return last;
  }

  /**
   * Moves the nucleus into {@code a[0, k)} and returns k: the fewest keys of {@code a[0, n)}, taken
   * in key order, whose weights sum to at least {@code need} (all n if they never do). A
   * quickselect that follows the weight instead of a rank; the keys are distinct, so which keys
   * it returns does not depend on how it finds them.
   *
   * @param e weight of each token id (a key's low 32 bits)
   */
  static int nucleus(long[] a, int n, double[] e, double need) {
    int lo = 0; // a[0, lo) are in the nucleus; need is what a[lo, ..) must still cover
    int hi = n; // the nucleus ends within a[lo, hi]
    while (lo < hi) {
      if (hi - lo == 1) {
        return hi;
      }
      int mid = (lo + hi) >>> 1;
      long pivot = median(a[lo], a[mid], a[hi - 1]);
      int at = a[lo] == pivot ? lo : a[mid] == pivot ? mid : hi - 1;
      swap(a, at, hi - 1);
      int store = lo;
      double smaller = 0;
      for (int i = lo; i < hi - 1; i++) {
        if (a[i] < pivot) {
          smaller += e[(int) a[i]];
          swap(a, i, store++);
        }
      }
      swap(a, store, hi - 1);
      double withPivot = smaller + e[(int) pivot];
      if (smaller >= need) {
        hi = store;
      } else if (withPivot >= need) {
        return store + 1;
      } else {
        need -= withPivot;
        lo = store + 1;
      }
    }
    return lo;
  }

  private static void swap(long[] a, int i, int j) {
    long t = a[i];
    a[i] = a[j];
    a[j] = t;
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
