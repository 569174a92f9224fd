package dev.longdpo.testbed;

import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.LlamaConfig;
import dev.longdpo.model.tokenizer.TextTokenizer;
import dev.longdpo.testbed.corpus.Corpus;
import dev.longdpo.testbed.corpus.FlawRates;
import dev.longdpo.testbed.corpus.TokenizerBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Small random models with the testbed's tokenizer, for tests that generate text (no pretraining). */
public final class TestbedModels {

  private TestbedModels() {}

  /** A 2-layer random model with a testbed tokenizer built from a small corpus. */
  public static LanguageModel tiny(long seed, boolean trainable) {
    String json = Corpus.generate(1, 120, 0.25, FlawRates.none()).tokenizerJson(4096);
    TextTokenizer tok = TextTokenizer.fromJson(json, Path.of("<test>"));
    int vocab = json.split("\"vocab\"")[1].split(",").length + 8;
    LlamaConfig c = LlamaConfig.of(vocab, 32, 64, 2, 4, 2, 1280)
        .withTiedEmbeddings(true)
        .withSpecialTokens(Optional.of(TokenizerBuilder.BOS), List.of(TokenizerBuilder.EOS), Optional.of(TokenizerBuilder.PAD));
    return LanguageModel.random(c, seed, Optional.of(tok), trainable);
  }

  /** Saves {@link #tiny} as a checkpoint directory and returns it. */
  public static Path saved(Path dir, long seed) throws java.io.IOException {
    try (LanguageModel m = tiny(seed, false)) {
      m.save(dir);
    }
    return dir;
  }
}
