package dev.longdpo.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsHashTest {

  @TempDir Path dir;

  @Test
  void aSingleFilesHashIsItsSha256() throws Exception {
    Files.writeString(dir.resolve("model.safetensors"), "abc");
    // sha256("abc"), the FIPS 180-2 test vector.
    assertThat(WeightsHash.of(dir)).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(WeightsHash.shortForm(WeightsHash.of(dir))).isEqualTo("ba7816bf");
  }

  @Test
  void shardsAreHashedInNameOrderAsOneStream() throws Exception {
    Files.writeString(dir.resolve("model-00002-of-00002.safetensors"), "c");
    Files.writeString(dir.resolve("model-00001-of-00002.safetensors"), "ab");
    Files.writeString(dir.resolve("config.json"), "{}");
    assertThat(WeightsHash.of(dir)).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void noWeightsIsAClearError() {
    assertThatThrownBy(() -> WeightsHash.of(dir)).hasMessageContaining(dir.toString()).hasMessageContaining("model.safetensors");
  }
}
