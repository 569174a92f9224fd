package dev.longdpo.model.checkpoint;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longdpo.model.LlamaConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the weight files of a Hugging Face checkpoint into a directory: one {@code
 * model.safetensors}, or shards of at most a given size with {@code model.safetensors.index.json},
 * named as {@code save_pretrained} names them.
 */
public final class CheckpointWriter {

  /** Hugging Face's default shard limit. */
  public static final long DEFAULT_MAX_SHARD_BYTES = 5L * 1000 * 1000 * 1000;

  private CheckpointWriter() {}

  /** Writes {@code config.json}. */
  public static void writeConfig(Path dir, LlamaConfig config) throws IOException {
    Files.writeString(dir.resolve("config.json"), LlamaConfigJson.toJson(config));
  }

  /**
   * Writes the weights, sharded when they exceed {@code maxShardBytes}.
   *
   * @param tensors name to tensor, in the order to write
   */
  public static void writeWeights(Path dir, Map<String, HostTensor> tensors, long maxShardBytes)
      throws IOException {
    Map<String, String> meta = Map.of("format", "pt");
    long total = 0;
    for (HostTensor t : tensors.values()) {
      total += 4L * t.data().length;
    }
    if (total <= maxShardBytes) {
      SafetensorsWriter.write(dir.resolve(WeightFiles.SINGLE), tensors, meta);
      return;
    }
    List<Map<String, HostTensor>> shards = new ArrayList<>();
    Map<String, HostTensor> current = new LinkedHashMap<>();
    long currentBytes = 0;
    for (Map.Entry<String, HostTensor> e : tensors.entrySet()) {
      long bytes = 4L * e.getValue().data().length;
      if (!current.isEmpty() && currentBytes + bytes > maxShardBytes) {
        shards.add(current);
        current = new LinkedHashMap<>();
        currentBytes = 0;
      }
      current.put(e.getKey(), e.getValue());
      currentBytes += bytes;
    }
    shards.add(current);
    ObjectNode index = LlamaConfigJson.JSON.createObjectNode();
    index.putObject("metadata").put("total_size", total);
    ObjectNode map = index.putObject("weight_map");
    for (int i = 0; i < shards.size(); i++) {
      String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
      SafetensorsWriter.write(dir.resolve(name), shards.get(i), meta);
      for (String tensor : shards.get(i).keySet()) {
        map.put(tensor, name);
      }
    }
    Files.writeString(
        dir.resolve(WeightFiles.INDEX), LlamaConfigJson.JSON.writeValueAsString(index) + "\n");
  }
}
