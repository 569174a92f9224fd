package dev.longdpo.bench.model;

import dev.longdpo.model.LlamaConfig;
import java.util.List;
import java.util.Optional;

/** The model shape the anchors were measured on. */
public final class BenchShapes {

  /** The anchors were measured with 2 threads. */
  public static final int THREADS = 2;

  private BenchShapes() {}

  /**
   * Hidden 256, 4 layers, 4 heads, 2 KV heads, intermediate 688, vocabulary 4096, untied head,
   * rope_theta 10000, fp32; context 2048 so a 1024-token prefix plus decoding fits.
   */
  public static LlamaConfig anchor() {
    return LlamaConfig.of(4096, 256, 688, 4, 4, 2, 2048)
        .withSpecialTokens(Optional.of(1), List.of(2), Optional.empty());
  }

  /** Deterministic pseudo-random token ids in [3, vocab). */
  public static int[] tokens(int n, long seed, int vocab) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    int[] ids = new int[n];
    ids[0] = 1;
    for (int i = 1; i < n; i++) {
      ids[i] = 3 + r.nextInt(vocab - 3);
    }
    return ids;
  }
}
