package dev.longdpo.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each broken checkpoint fails with an error naming the file and the tensor or field. */
class BadCheckpointTest {

  @TempDir Path dir;
  Path ckpt;
  Map<String, HostTensor> weights;

  @BeforeEach
  void saveAGoodOne() throws Exception {
    ckpt = dir.resolve("ckpt");
    try (LanguageModel m = TinyModels.randomTiny(1)) {
      m.save(ckpt);
      weights = m.weights();
    }
  }

  private void rewriteWeights(Map<String, HostTensor> tensors) throws Exception {
    SafetensorsWriter.write(ckpt.resolve(WeightFiles.SINGLE), tensors, Map.of());
  }

  @Test
  void missingConfig() throws Exception {
    Files.delete(ckpt.resolve("config.json"));
    assertThatThrownBy(() -> LanguageModel.load(ckpt))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("config.json")
        .hasMessageContaining("missing");
  }

  @Test
  void missingTensor() throws Exception {
    Map<String, HostTensor> w = new LinkedHashMap<>(weights);
    w.remove("model.layers.1.mlp.up_proj.weight");
    rewriteWeights(w);
    assertThatThrownBy(() -> LanguageModel.load(ckpt))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("model.safetensors")
        .hasMessageContaining("model.layers.1.mlp.up_proj.weight")
        .hasMessageContaining("missing");
  }

  @Test
  void wrongShape() throws Exception {
    Map<String, HostTensor> w = new LinkedHashMap<>(weights);
    w.put("model.norm.weight", new HostTensor(new long[] {31}, new float[31]));
    rewriteWeights(w);
    assertThatThrownBy(() -> LanguageModel.load(ckpt))
        .hasMessageContaining("model.safetensors")
        .hasMessageContaining("model.norm.weight")
        .hasMessageContaining("[31]")
        .hasMessageContaining("[32]");
  }

  @Test
  void unsupportedDtype() throws Exception {
    RawSafetensors raw = new RawSafetensors();
    for (Map.Entry<String, HostTensor> e : weights.entrySet()) {
      if (e.getKey().equals("model.norm.weight")) {
        raw.add(e.getKey(), "I32", e.getValue().shape(), new byte[4 * 32]);
      } else {
        raw.addF32(e.getKey(), e.getValue().shape(), e.getValue().data());
      }
    }
    raw.write(ckpt.resolve(WeightFiles.SINGLE));
    assertThatThrownBy(() -> LanguageModel.load(ckpt))
        .hasMessageContaining("model.safetensors")
        .hasMessageContaining("model.norm.weight")
        .hasMessageContaining("dtype I32 is not supported");
  }

  @Test
  void headsThatDoNotDivideTheHiddenSize() throws Exception {
    Path config = ckpt.resolve("config.json");
    Files.writeString(
        config,
        Files.readString(config)
            .replace("\"num_attention_heads\" : 4", "\"num_attention_heads\" : 5")
            .replace("\"head_dim\" : 8,", ""));
    assertThatThrownBy(() -> LanguageModel.load(ckpt))
        .hasMessageContaining("config.json")
        .hasMessageContaining("num_attention_heads")
        .hasMessageContaining("does not divide hidden_size 32");
  }

  @Test
  void truncatedSafetensors() throws Exception {
    Path file = ckpt.resolve(WeightFiles.SINGLE);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 100));
    assertThatThrownBy(() -> LanguageModel.load(ckpt))
        .hasMessageContaining("model.safetensors")
        .hasMessageContaining("truncated")
        .hasMessageContaining("lm_head.weight");
  }

  @Test
  void truncatedHeader() throws Exception {
    Path file = ckpt.resolve(WeightFiles.SINGLE);
    Files.write(file, java.util.Arrays.copyOf(Files.readAllBytes(file), 40));
    assertThatThrownBy(() -> LanguageModel.load(ckpt))
        .hasMessageContaining("model.safetensors")
        .hasMessageContaining("truncated or corrupt");
  }

  @Test
  void missingShardNamedByTheIndex() throws Exception {
    Path sharded = dir.resolve("sharded");
    try (LanguageModel m = TinyModels.randomTiny(1)) {
      m.save(sharded, 8_000, d -> {});
    }
    Files.delete(sharded.resolve("model-00002-of-" + shardCount(sharded) + ".safetensors"));
    assertThatThrownBy(() -> LanguageModel.load(sharded))
        .hasMessageContaining(WeightFiles.INDEX)
        .hasMessageContaining("model-00002-of-");
  }

  private static String shardCount(Path dir) throws Exception {
    try (var files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.startsWith("model-00001-of-"))
          .findFirst()
          .orElseThrow()
          .substring("model-00001-of-".length(), "model-00001-of-".length() + 5);
    }
  }

  @Test
  void aFailedLoadLeavesNothingHalfLoaded() throws Exception {
    // The same call succeeds once the file is fixed: no state was kept from the failure.
    Map<String, HostTensor> w = new LinkedHashMap<>(weights);
    w.remove("lm_head.weight");
    rewriteWeights(w);
    assertThatThrownBy(() -> LanguageModel.load(ckpt)).isInstanceOf(CheckpointException.class);
    rewriteWeights(weights);
    try (LanguageModel m = LanguageModel.load(ckpt)) {
      assertThat(m.weights()).isEqualTo(weights);
    }
  }
}
