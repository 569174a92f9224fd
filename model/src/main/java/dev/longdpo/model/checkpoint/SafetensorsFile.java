package dev.longdpo.model.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code .safetensors} file: an 8-byte little-endian header length, a JSON header mapping
 * tensor names to dtype, shape and byte offsets, then the raw data.
 *
 * <p>The header is validated when the file is opened (offsets inside the file, sizes matching
 * shapes), so a truncated or inconsistent file fails before any tensor is used.
 */
public final class SafetensorsFile {

  /** Where a tensor's bytes are and how to read them. */
  record Entry(String dtype, long[] shape, long begin, long end) {}

  private static final long MAX_HEADER = 100L * 1024 * 1024;

  private final Path file;
  private final long dataStart;
  private final Map<String, Entry> entries;
  private final Map<String, String> metadata;

  private SafetensorsFile(
      Path file, long dataStart, Map<String, Entry> entries, Map<String, String> metadata) {
    this.file = file;
    this.dataStart = dataStart;
    this.entries = entries;
    this.metadata = metadata;
  }

  /** Opens and validates a file's header. */
  public static SafetensorsFile open(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) {
        throw new CheckpointException(file, "truncated: " + size + " bytes, no header length");
      }
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, len, 0);
      long headerLen = len.getLong(0);
      if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > size) {
        throw new CheckpointException(
            file, "truncated or corrupt: header length " + headerLen + " in a " + size + "-byte file");
      }
      ByteBuffer header = ByteBuffer.allocate((int) headerLen);
      readFully(ch, header, 8);
      JsonNode root;
      try {
        root = LlamaConfigJson.JSON.readTree(new String(header.array(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new CheckpointException(file, "header is not valid JSON: " + e.getMessage(), e);
      }
      if (root == null || !root.isObject()) {
        throw new CheckpointException(file, "header is not a JSON object");
      }
      long dataStart = 8 + headerLen;
      long dataSize = size - dataStart;
      Map<String, Entry> entries = new LinkedHashMap<>();
      Map<String, String> metadata = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = root.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equals("__metadata__")) {
          e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
          continue;
        }
        entries.put(e.getKey(), parseEntry(file, e.getKey(), e.getValue(), dataSize));
      }
      return new SafetensorsFile(
          file, dataStart, Collections.unmodifiableMap(entries), Collections.unmodifiableMap(metadata));
    } catch (NoSuchFileException e) {
      throw new CheckpointException(file, "missing");
    } catch (IOException e) {
      throw new CheckpointException(file, "cannot be read: " + e.getMessage(), e);
    }
  }

  private static Entry parseEntry(Path file, String name, JsonNode n, long dataSize) {
    JsonNode dtype = n.get("dtype");
    JsonNode shape = n.get("shape");
    JsonNode offsets = n.get("data_offsets");
    if (dtype == null || !dtype.isTextual()) {
      throw new CheckpointException(file, name, "header entry has no dtype");
    }
    if (shape == null || !shape.isArray()) {
      throw new CheckpointException(file, name, "header entry has no shape");
    }
    if (offsets == null || !offsets.isArray() || offsets.size() != 2) {
      throw new CheckpointException(file, name, "header entry has no [begin, end] data_offsets");
    }
    long[] dims = new long[shape.size()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = shape.get(i).asLong(-1);
      if (dims[i] < 0) {
        throw new CheckpointException(file, name, "bad shape " + shape);
      }
    }
    long begin = offsets.get(0).asLong(-1);
    long end = offsets.get(1).asLong(-1);
    if (begin < 0 || end < begin) {
      throw new CheckpointException(file, name, "bad data_offsets " + offsets);
    }
    if (end > dataSize) {
      throw new CheckpointException(
          file,
          name,
          "truncated: data ends at byte " + end + " but the file holds " + dataSize + " data bytes");
    }
    DType.parse(dtype.textValue())
        .ifPresent(
            t -> {
              long expected = HostTensor.elementCount(dims) * t.bytes;
              if (expected != end - begin) {
                throw new CheckpointException(
                    file,
                    name,
                    "shape " + shape + " of " + t + " needs " + expected + " bytes, offsets give "
                        + (end - begin));
              }
            });
    return new Entry(dtype.textValue(), dims, begin, end);
  }

  /** The file this was read from. */
  public Path path() {
    return file;
  }

  /** Tensor names in header order. */
  public Iterable<String> names() {
    return entries.keySet();
  }

  /** Whether the file holds this tensor. */
  public boolean contains(String name) {
    return entries.containsKey(name);
  }

  /** The shape of a tensor, as the header gives it. */
  public long[] shape(String name) {
    return entry(name).shape().clone();
  }

  /** The {@code __metadata__} strings of the header. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** Reads one tensor, widening BF16 and F16 to float32. */
  public HostTensor read(String name) {
    Entry e = entry(name);
    DType type =
        DType.parse(e.dtype())
            .orElseThrow(
                () ->
                    new CheckpointException(
                        file, name, "dtype " + e.dtype() + " is not supported (F32, BF16, F16)"));
    long count = HostTensor.elementCount(e.shape());
    if (count > Integer.MAX_VALUE - 8) {
      throw new CheckpointException(file, name, "too large for one Java array: " + count);
    }
    float[] out = new float[(int) count];
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer bytes = ByteBuffer.allocate((int) (e.end() - e.begin())).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, bytes, dataStart + e.begin());
      bytes.flip();
      type.decode(bytes.order(ByteOrder.LITTLE_ENDIAN), out);
    } catch (IOException ex) {
      throw new CheckpointException(file, name, "cannot be read: " + ex.getMessage());
    }
    return new HostTensor(e.shape().clone(), out);
  }

  private Entry entry(String name) {
    Entry e = entries.get(name);
    if (e == null) {
      throw new CheckpointException(file, name, "missing tensor");
    }
    return e;
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file at byte " + pos);
      }
      pos += n;
    }
  }
}
