package dev.longdpo.model.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes float32 tensors as one {@code .safetensors} file, in the order given. */
public final class SafetensorsWriter {

  private SafetensorsWriter() {}

  /**
   * Writes {@code tensors} to {@code file}.
   *
   * @param tensors name to tensor, written in iteration order
   * @param metadata strings for the header's {@code __metadata__} (Hugging Face expects
   *     {@code format: pt})
   */
  public static void write(Path file, Map<String, HostTensor> tensors, Map<String, String> metadata)
      throws IOException {
    byte[] header = header(tensors, metadata);
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      len.putLong(header.length);
      out.write(len.array());
      out.write(header);
      ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
      for (HostTensor t : tensors.values()) {
        for (float v : t.data()) {
          if (!chunk.hasRemaining()) {
            out.write(chunk.array(), 0, chunk.position());
            chunk.clear();
          }
          chunk.putFloat(v);
        }
      }
      out.write(chunk.array(), 0, chunk.position());
    }
  }

  /** The header JSON, padded with spaces so the data starts 8-byte aligned. */
  static byte[] header(Map<String, HostTensor> tensors, Map<String, String> metadata) {
    ObjectNode root = LlamaConfigJson.JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = root.putObject("__metadata__");
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (Map.Entry<String, HostTensor> e : tensors.entrySet()) {
      ObjectNode n = root.putObject(e.getKey());
      n.put("dtype", "F32");
      var shape = n.putArray("shape");
      for (long d : e.getValue().shape()) {
        shape.add(d);
      }
      long bytes = 4L * e.getValue().data().length;
      n.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    String json;
    try {
      json = LlamaConfigJson.JSON.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    byte[] raw = json.getBytes(StandardCharsets.UTF_8);
    int padding = (8 - raw.length % 8) % 8;
    byte[] padded = java.util.Arrays.copyOf(raw, raw.length + padding);
    java.util.Arrays.fill(padded, raw.length, padded.length, (byte) ' ');
    return padded;
  }
}
