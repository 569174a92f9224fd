package dev.longdpo.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

  @TempDir Path dir;

  @Test
  void readsAHandWrittenFileWithF32Bf16AndF16() throws Exception {
    Path file = dir.resolve("t.safetensors");
    new RawSafetensors()
        .addF32("a", new long[] {2, 2}, 1.5f, -2f, 0f, 3.25f)
        .addBf16("b", new long[] {3}, 1f, -0.5f, 384f)
        // 0x3C00 = 1.0, 0xC000 = -2.0, 0x0001 = 2^-24 (smallest subnormal), 0x7C00 = +inf
        .addF16Bits("c", new long[] {4}, (short) 0x3C00, (short) 0xC000, (short) 0x0001, (short) 0x7C00)
        .write(file);
    SafetensorsFile f = SafetensorsFile.open(file);
    assertThat(f.read("a").data()).containsExactly(1.5f, -2f, 0f, 3.25f);
    assertThat(f.read("a").shape()).containsExactly(2, 2);
    assertThat(f.read("b").data()).containsExactly(1f, -0.5f, 384f);
    assertThat(f.read("c").data()).containsExactly(1f, -2f, (float) Math.pow(2, -24), Float.POSITIVE_INFINITY);
  }

  @Test
  void whatWeWritePassesAMinimalIndependentReader() throws Exception {
    Map<String, HostTensor> tensors = new LinkedHashMap<>();
    tensors.put("x.weight", new HostTensor(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
    tensors.put("y", new HostTensor(new long[] {1}, new float[] {-7.5f}));
    Path file = dir.resolve("w.safetensors");
    SafetensorsWriter.write(file, tensors, Map.of("format", "pt"));

    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLen = buf.getLong(0);
    assertThat((8 + headerLen) % 8).isZero();
    JsonNode header =
        new ObjectMapper().readTree(new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8));
    assertThat(header.get("__metadata__").get("format").asText()).isEqualTo("pt");
    JsonNode x = header.get("x.weight");
    assertThat(x.get("dtype").asText()).isEqualTo("F32");
    assertThat(x.get("shape").toString()).isEqualTo("[2,3]");
    int begin = x.get("data_offsets").get(0).asInt();
    int end = x.get("data_offsets").get(1).asInt();
    assertThat(end - begin).isEqualTo(24);
    assertThat(buf.getFloat((int) (8 + headerLen + begin + 4 * 5))).isEqualTo(6f);
    JsonNode y = header.get("y");
    assertThat(buf.getFloat((int) (8 + headerLen + y.get("data_offsets").get(0).asInt()))).isEqualTo(-7.5f);
    assertThat(bytes.length).isEqualTo(8 + headerLen + 28);
  }

  @Test
  void halfPrecisionConversionCoversNormalsAndNaN() {
    assertThat(DType.halfToFloat((short) 0x3555)).isCloseTo(0.33325195f, org.assertj.core.data.Offset.offset(1e-8f));
    assertThat(DType.halfToFloat((short) 0x8000)).isEqualTo(-0.0f);
    assertThat(DType.halfToFloat((short) 0x7E00)).isNaN();
    assertThat(DType.halfToFloat((short) 0x7BFF)).isEqualTo(65504f);
  }
}
