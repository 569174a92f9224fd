package dev.longdpo.model.checkpoint;

import java.nio.file.Path;
import java.util.Map;

/** Checks a {@code rope_scaling} object names a scheme the model implements. */
final class RopeScalingCheck {

  private RopeScalingCheck() {}

  static void validate(Path file, Map<String, Object> scaling) {
    Object type = scaling.getOrDefault("rope_type", scaling.get("type"));
    if ("default".equals(type)) {
      return;
    }
    if (!"linear".equals(type) && !"llama3".equals(type)) {
      throw new CheckpointException(
          file, "rope_scaling", "type '" + type + "' is not supported (linear, llama3)");
    }
    requireNumber(file, scaling, "factor");
    if ("llama3".equals(type)) {
      requireNumber(file, scaling, "low_freq_factor");
      requireNumber(file, scaling, "high_freq_factor");
      requireNumber(file, scaling, "original_max_position_embeddings");
    }
  }

  private static void requireNumber(Path file, Map<String, Object> scaling, String key) {
    if (!(scaling.get(key) instanceof Number n) || !(n.doubleValue() > 0)) {
      throw new CheckpointException(
          file, "rope_scaling." + key, "expected a number > 0, got " + scaling.get(key));
    }
  }
}
