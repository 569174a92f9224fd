package dev.longdpo.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
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
    Path bf16 = dir.resolve("bf16");
    Path f32 = dir.resolve("f32");
    Files.createDirectories(bf16);
    Files.createDirectories(f32);
    Files.writeString(bf16.resolve("config.json"), LlamaConfigJson.toJson(config).replace("float32", "bfloat16"));
    Files.writeString(f32.resolve("config.json"), LlamaConfigJson.toJson(config));
    // The same values twice: as BF16, and as F32 holding the BF16-rounded numbers.
    RawSafetensors rawBf16 = new RawSafetensors();
    RawSafetensors rawF32 = new RawSafetensors();
    try (LanguageModel ref = LanguageModel.random(config, 1, Optional.empty(), false)) {
      for (Map.Entry<String, HostTensor> e : ref.weights().entrySet()) {
        float[] v = e.getValue().data().clone();
        for (int i = 0; i < v.length; i++) {
          v[i] = Float.intBitsToFloat(Float.floatToIntBits(v[i]) & 0xffff0000); // exact in BF16
        }
        rawBf16.addBf16(e.getKey(), e.getValue().shape(), v);
        rawF32.addF32(e.getKey(), e.getValue().shape(), v);
      }
    }
    rawBf16.write(bf16.resolve(WeightFiles.SINGLE));
    rawF32.write(f32.resolve(WeightFiles.SINGLE));
    try (LanguageModel m = LanguageModel.load(bf16); LanguageModel reference = LanguageModel.load(f32)) {
      assertThat(m.config().torchDtype()).isEqualTo("bfloat16");
      assertThat(m.weights()).isEqualTo(reference.weights());
      assertThat(m.network().namedParameters().values())
          .allMatch(p -> p.getArray().getDataType() == DataType.FLOAT32);
      // Same float32 parameters, same float32 operations: the same logits to the bit. Computing in
      // BF16 would keep 8 significant bits and move them by about 1e-3 of their size.
      float[] logits = logits(m, new long[] {1, 2, 5, 9, 3});
      assertThat(logits).containsExactly(logits(reference, new long[] {1, 2, 5, 9, 3}));
      float largest = 0;
      for (float v : logits) {
        largest = Math.max(largest, Math.abs(v));
      }
      assertThat(largest).as("logits large enough for BF16 rounding to show").isGreaterThan(1e-2f);
    }
  }

  private static float[] logits(LanguageModel m, long[] ids) {
    try (NDManager nd = m.manager().newSubManager()) {
      NDArray input = nd.create(ids, new Shape(1, ids.length));
      return m.network().forward(new ParameterStore(nd, false), new NDList(input), false)
          .singletonOrThrow().toFloatArray();
    }
  }
}
