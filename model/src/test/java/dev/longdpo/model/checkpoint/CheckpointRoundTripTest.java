package dev.longdpo.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.LlamaConfig;
import dev.longdpo.model.TinyModels;
import dev.longdpo.model.generate.GenerationRequest;
import dev.longdpo.model.generate.SamplingParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointRoundTripTest {

  @TempDir Path dir;

  @Test
  void saveThenLoadIsBitIdentical() throws Exception {
    Path ckpt = dir.resolve("ckpt");
    try (LanguageModel a = TinyModels.randomTiny(5)) {
      a.save(ckpt);
      try (LanguageModel b = LanguageModel.load(ckpt)) {
        assertThat(b.config()).isEqualTo(a.config());
        Map<String, HostTensor> wa = a.weights();
        Map<String, HostTensor> wb = b.weights();
        assertThat(wb.keySet()).containsExactlyElementsOf(wa.keySet());
        assertThat(wb).isEqualTo(wa);
        var p = SamplingParams.sampling(1.0, 10).withStopAtEos(false);
        assertThat(b.generate(GenerationRequest.of(b.prefix(new int[] {1, 4, 8}), p, 3)).tokenIds())
            .containsExactly(a.generate(GenerationRequest.of(a.prefix(new int[] {1, 4, 8}), p, 3)).tokenIds());
      }
    }
    // Nothing but the checkpoint is left behind (the temporary directory was renamed).
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactly("ckpt");
    }
  }

  @Test
  void aSeededRandomModelIsReproducible() {
    try (LanguageModel a = TinyModels.randomTiny(42);
        LanguageModel b = TinyModels.randomTiny(42);
        LanguageModel c = TinyModels.randomTiny(43)) {
      assertThat(b.weights()).isEqualTo(a.weights());
      assertThat(c.weights()).isNotEqualTo(a.weights());
    }
  }

  @Test
  void shardedCheckpointsSaveAndLoad() throws Exception {
    Path ckpt = dir.resolve("sharded");
    try (LanguageModel a = TinyModels.randomTiny(9)) {
      a.save(ckpt, 8_000, d -> {});
      assertThat(ckpt.resolve(WeightFiles.SINGLE)).doesNotExist();
      assertThat(ckpt.resolve(WeightFiles.INDEX)).exists();
      try (Stream<Path> files = Files.list(ckpt)) {
        assertThat(files.filter(f -> f.getFileName().toString().matches("model-\\d{5}-of-\\d{5}\\.safetensors")).count())
            .isGreaterThan(2);
      }
      try (LanguageModel b = LanguageModel.load(ckpt)) {
        assertThat(b.weights()).isEqualTo(a.weights());
      }
    }
  }

  @Test
  void bf16WeightsLoadAndComputeInFloat32() throws Exception {
    LlamaConfig config = LlamaConfig.of(16, 8, 8, 1, 2, 1, 16);
    Path ckpt = dir.resolve("bf16");
    Files.createDirectories(ckpt);
    Files.writeString(ckpt.resolve("config.json"), LlamaConfigJson.toJson(config).replace("float32", "bfloat16"));
    RawSafetensors raw = new RawSafetensors();
    try (LanguageModel ref = LanguageModel.random(config, 1, Optional.empty(), false)) {
      for (Map.Entry<String, HostTensor> e : ref.weights().entrySet()) {
        float[] v = e.getValue().data().clone();
        for (int i = 0; i < v.length; i++) {
          v[i] = Float.intBitsToFloat(Float.floatToIntBits(v[i]) & 0xffff0000); // exact in BF16
        }
        raw.addBf16(e.getKey(), e.getValue().shape(), v);
      }
    }
    raw.write(ckpt.resolve(WeightFiles.SINGLE));
    try (LanguageModel m = LanguageModel.load(ckpt)) {
      assertThat(m.config().torchDtype()).isEqualTo("bfloat16");
      float w = m.weights().get("model.norm.weight").data()[0];
      assertThat(w).isEqualTo(1f);
      assertThat(m.generate(GenerationRequest.of(m.prefix(new int[] {1, 2}), SamplingParams.greedy(3), 0)).length())
          .isPositive();
    }
  }
}
