package dev.longdpo.model.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longdpo.model.nn.WeightSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The weights of a checkpoint directory: {@code model.safetensors}, or shards listed by {@code
 * model.safetensors.index.json}. Serves them as a {@link WeightSource} that checks each tensor's
 * shape against what the architecture needs.
 */
public final class WeightFiles implements WeightSource {

  /** The single-file weights name. */
  public static final String SINGLE = "model.safetensors";

  /** The sharded weights index name. */
  public static final String INDEX = "model.safetensors.index.json";

  private final Path dir;
  private final Map<String, SafetensorsFile> fileOf;

  private WeightFiles(Path dir, Map<String, SafetensorsFile> fileOf) {
    this.dir = dir;
    this.fileOf = fileOf;
  }

  /** Opens and validates the headers of every weight file of a checkpoint directory. */
  public static WeightFiles open(Path dir) {
    Path single = dir.resolve(SINGLE);
    Path index = dir.resolve(INDEX);
    Map<String, SafetensorsFile> fileOf = new LinkedHashMap<>();
    if (Files.exists(single)) {
      SafetensorsFile f = SafetensorsFile.open(single);
      f.names().forEach(n -> fileOf.put(n, f));
    } else if (Files.exists(index)) {
      JsonNode root;
      try {
        root = LlamaConfigJson.JSON.readTree(Files.readString(index));
      } catch (IOException e) {
        throw new CheckpointException(index, "not valid JSON: " + e.getMessage(), e);
      }
      JsonNode map = root == null ? null : root.get("weight_map");
      if (map == null || !map.isObject()) {
        throw new CheckpointException(index, "weight_map", "missing (an object of tensor -> file)");
      }
      Map<String, SafetensorsFile> shards = new HashMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = map.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        String shardName = e.getValue().asText();
        Path shardPath = dir.resolve(shardName).normalize();
        if (!shardPath.startsWith(dir.normalize()) || shardName.isEmpty()) {
          throw new CheckpointException(index, e.getKey(), "bad shard name '" + shardName + "'");
        }
        if (!Files.exists(shardPath)) {
          throw new CheckpointException(
              index, e.getKey(), "shard " + shardName + " is missing from " + dir);
        }
        SafetensorsFile shard = shards.computeIfAbsent(shardName, n -> SafetensorsFile.open(shardPath));
        if (!shard.contains(e.getKey())) {
          throw new CheckpointException(shardPath, e.getKey(), "missing tensor (the index lists it here)");
        }
        fileOf.put(e.getKey(), shard);
      }
    } else {
      throw new CheckpointException(dir, "no " + SINGLE + " or " + INDEX + " in the checkpoint");
    }
    return new WeightFiles(dir, fileOf);
  }

  /** Names of every tensor the checkpoint holds. */
  public Set<String> names() {
    return fileOf.keySet();
  }

  @Override
  public HostTensor get(String name, long[] shape, Kind kind) {
    SafetensorsFile f = fileOf.get(name);
    if (f == null) {
      Path where = fileOf.isEmpty() ? dir.resolve(SINGLE) : fileOf.values().iterator().next().path();
      throw new CheckpointException(where, name, "missing tensor");
    }
    long[] actual = f.shape(name);
    if (!Arrays.equals(actual, shape)) {
      throw new CheckpointException(
          f.path(),
          name,
          "shape " + Arrays.toString(actual) + " does not match the config's " + Arrays.toString(shape));
    }
    return f.read(name);
  }
}
