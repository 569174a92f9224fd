package dev.longdpo.gpuworker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longdpo.gpuworker.dpo.DpoTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A variant's checkpoints in a checkpoint directory ({@code <variant>-step-<n>}, each written
 * atomically, so one that exists is whole). A worker that starts for a variant resumes from the
 * latest.
 */
public final class TrainerCheckpoints {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One checkpoint as its {@code trainer_state.json} describes it.
   *
   * @param streamOffset the offset of the next pair in epoch {@code epoch}
   * @param finished whether it is the variant's final checkpoint (training is complete)
   */
  public record Found(Path dir, String name, long step, long streamOffset, int epoch, boolean finished) {}

  private TrainerCheckpoints() {}

  /** {@code variant}'s checkpoint name at {@code step}. */
  public static String name(String variant, long step) {
    return variant + "-step-" + step;
  }

  /** Every checkpoint of {@code variant} under {@code dir}, by step. */
  public static List<Found> all(Path dir, String variant) throws IOException {
    List<Found> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    Pattern named = Pattern.compile(Pattern.quote(variant) + "-step-(\\d+)");
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        Matcher m = named.matcher(p.getFileName().toString());
        if (m.matches() && Files.exists(p.resolve(DpoTrainer.STATE_FILE))) {
          out.add(read(p));
        }
      }
    }
    out.sort(Comparator.comparingLong(Found::step));
    return out;
  }

  /** The checkpoint in {@code dir}, as its {@code trainer_state.json} describes it. */
  public static Found read(Path dir) throws IOException {
    JsonNode s = JSON.readTree(Files.readString(dir.resolve(DpoTrainer.STATE_FILE)));
    return new Found(dir, dir.getFileName().toString(), s.path("step").asLong(), s.path("stream_offset").asLong(),
        s.path("epoch").asInt(), s.path("finished").asBoolean(false));
  }

  /** The latest checkpoint of {@code variant} under {@code dir}, if any. */
  public static Optional<Found> latest(Path dir, String variant) throws IOException {
    List<Found> all = all(dir, variant);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }
}
