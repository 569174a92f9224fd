package dev.longdpo.model.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The sampler finds the top k and the nucleus by selection, without sorting; its draws must be
 * those of sorting every candidate to find them (the reference here), token for token.
 */
class SamplerOrderTest {

  @Test
  void drawsEqualTheFullSortsOnPeakedFlatAndTiedLogits() {
    SplittableRandom gen = new SplittableRandom(5);
    int draws = 0;
    for (int trial = 0; trial < 300; trial++) {
      int vocab = 1 + gen.nextInt(3000);
      float[] logits = new float[vocab];
      double spread = switch (trial % 3) {
        case 0 -> 0.05; // near-flat: the nucleus is most of the vocabulary
        case 1 -> 3.0;
        default -> 12.0; // peaked: a handful of tokens
      };
      for (int i = 0; i < vocab; i++) {
        logits[i] = (float) (gen.nextGaussian() * spread);
        if (trial % 7 == 0 && i % 5 == 0) {
          logits[i] = logits[0]; // ties, broken by the lower id
        }
        if (trial % 11 == 0 && i % 9 == 1) {
          logits[i] = Float.NEGATIVE_INFINITY;
        }
      }
      for (SamplingParams p : new SamplingParams[] {
        SamplingParams.sampling(0.8, 10).withTopP(0.95),
        SamplingParams.sampling(1.0, 10).withTopP(0.5),
        SamplingParams.sampling(1.3, 10).withTopP(0.999),
        SamplingParams.sampling(0.7, 10).withTopK(40),
        SamplingParams.sampling(0.9, 10).withTopK(7).withTopP(0.8),
      }) {
        long seed = gen.nextLong();
        int actual = Sampler.sample(logits, p, new SplittableRandom(seed));
        int expected = fullSort(logits, p, new SplittableRandom(seed));
        assertThat(actual).as("trial %d, vocab %d, %s", trial, vocab, p).isEqualTo(expected);
        draws++;
      }
    }
    assertThat(draws).isEqualTo(1500);
  }

  @Test
  void theNucleusIsTheShortestHeadOfTheOrderThatReachesTheMass() {
    SplittableRandom gen = new SplittableRandom(9);
    for (int trial = 0; trial < 500; trial++) {
      int n = 1 + gen.nextInt(500);
      long[] a = new long[n];
      double[] e = new double[n];
      double total = 0;
      for (int i = 0; i < n; i++) {
        a[i] = ((long) gen.nextInt(50) << 32) | i; // many equal high words, distinct keys
        e[i] = trial % 2 == 0 ? 1 + gen.nextInt(3) : gen.nextDouble();
        total += e[i];
      }
      double need = total * gen.nextDouble() * 1.05; // now and then more than there is
      long[] sorted = a.clone();
      Arrays.sort(sorted);
      int expected = 0;
      double sum = 0;
      while (expected < n && sum < need) {
        sum += e[(int) sorted[expected++]];
      }
      int k = Sampler.nucleus(a, n, e, need);
      assertThat(k).as("trial %d", trial).isEqualTo(Math.max(expected, 1));
      long[] head = Arrays.copyOf(a, k);
      Arrays.sort(head);
      assertThat(head).isEqualTo(Arrays.copyOf(sorted, k));
    }
  }

  /** Every candidate sorted to find the kept tokens, which the draw walks in id order. */
  private static int fullSort(float[] logits, SamplingParams p, SplittableRandom rng) {
    int best = Sampler.argmax(logits);
    double invT = 1.0 / p.temperature();
    double max = logits[best] * invT;
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
      int bits = Float.floatToIntBits(-v);
      keys[n++] = ((long) (bits ^ ((bits >> 31) & 0x7fffffff)) << 32) | i;
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
    boolean[] member = new boolean[logits.length];
    for (int i = 0; i < keep; i++) {
      member[(int) keys[i]] = true;
    }
    double mass = 0;
    for (int i = 0; i < logits.length; i++) {
      if (member[i]) {
        mass += Math.exp(logits[i] * invT - max);
      }
    }
    double u = rng.nextDouble() * mass;
    int last = -1;
    for (int i = 0; i < logits.length; i++) {
      if (member[i]) {
        u -= Math.exp(logits[i] * invT - max);
        last = i;
        if (u < 0) {
          return i;
        }
      }
    }
    return last;
  }
}
