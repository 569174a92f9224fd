package dev.longdpo.model;

import java.util.List;
import java.util.Optional;

/** Small model shapes for tests (shared with other modules through the test jar). */
public final class TinyModels {

  private TinyModels() {}

  /** Two layers, grouped-query attention (4 heads, 2 KV heads), vocabulary 97. */
  public static LlamaConfig tiny() {
    return LlamaConfig.of(97, 32, 48, 2, 4, 2, 256)
        .withSpecialTokens(Optional.of(1), List.of(2), Optional.empty());
  }

  /** A random tiny model without tokenizer. */
  public static LanguageModel randomTiny(long seed) {
    return LanguageModel.random(tiny(), seed, Optional.empty(), false);
  }
}
