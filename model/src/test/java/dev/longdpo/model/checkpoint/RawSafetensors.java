package dev.longdpo.model.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes safetensors files byte by byte, independently of the code under test. */
final class RawSafetensors {

  private record Entry(String name, String dtype, long[] shape, byte[] data) {}

  private final List<Entry> entries = new ArrayList<>();

  RawSafetensors add(String name, String dtype, long[] shape, byte[] data) {
    entries.add(new Entry(name, dtype, shape, data));
    return this;
  }

  RawSafetensors addF32(String name, long[] shape, float... values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return add(name, "F32", shape, b.array());
  }

  /** BF16 by truncating float32 bits (exact for values with 8 significant bits). */
  RawSafetensors addBf16(String name, long[] shape, float... values) {
    ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putShort((short) (Float.floatToIntBits(v) >>> 16));
    }
    return add(name, "BF16", shape, b.array());
  }

  /** F16 from raw binary16 bit patterns. */
  RawSafetensors addF16Bits(String name, long[] shape, short... bits) {
    ByteBuffer b = ByteBuffer.allocate(2 * bits.length).order(ByteOrder.LITTLE_ENDIAN);
    for (short s : bits) {
      b.putShort(s);
    }
    return add(name, "F16", shape, b.array());
  }

  byte[] bytes() {
    StringBuilder header = new StringBuilder("{");
    long offset = 0;
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      if (i > 0) {
        header.append(',');
      }
      StringBuilder shape = new StringBuilder();
      for (int d = 0; d < e.shape().length; d++) {
        shape.append(d == 0 ? "" : ",").append(e.shape()[d]);
      }
      header.append('"').append(e.name()).append("\":{\"dtype\":\"").append(e.dtype())
          .append("\",\"shape\":[").append(shape).append("],\"data_offsets\":[")
          .append(offset).append(',').append(offset + e.data().length).append("]}");
      offset += e.data().length;
    }
    header.append('}');
    byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length);
    out.writeBytes(len.array());
    out.writeBytes(h);
    for (Entry e : entries) {
      out.writeBytes(e.data());
    }
    return out.toByteArray();
  }

  void write(Path file) throws IOException {
    Files.write(file, bytes());
  }
}
