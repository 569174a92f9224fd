package dev.longdpo.actors.host;

import dev.longdpo.config.files.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which trainer owns a variant of a run: {@code <run>/train/<variant>.assignment} holds the current
 * assignment's number and node. The run manager writes it (number + 1) before it tells a trainer
 * host; a worker reads it before every checkpoint and stops if its number is no longer there. So a
 * trainer whose node was only thought lost never overwrites the checkpoints of the one that took
 * its place.
 */
public final class TrainerAssignment {

  private TrainerAssignment() {}

  /** The file of {@code variant}'s assignment in run directory {@code runDir}. */
  public static Path file(Path runDir, String variant) {
    return runDir.resolve("train").resolve(variant + ".assignment");
  }

  /** An assignment: its number and the node it went to. */
  public record Current(long number, String node) {}

  /** The current assignment (number 0 and no node when there was none). */
  public static Current read(Path runDir, String variant) throws IOException {
    Path f = file(runDir, variant);
    if (!Files.exists(f)) {
      return new Current(0, "");
    }
    String[] fields = Files.readString(f, StandardCharsets.UTF_8).strip().split("\\s+", 2);
    try {
      return new Current(Long.parseLong(fields[0]), fields.length > 1 ? fields[1] : "");
    } catch (NumberFormatException e) {
      throw new IOException(f + ": not an assignment number: '" + fields[0] + "'", e);
    }
  }

  /** The current assignment's number, 0 when there was none. */
  public static long current(Path runDir, String variant) throws IOException {
    return read(runDir, variant).number();
  }

  /** Records a new assignment of {@code variant} to {@code node}; returns its number. */
  public static long assign(Path runDir, String variant, String node) throws IOException {
    long next = current(runDir, variant) + 1;
    Files.createDirectories(file(runDir, variant).getParent());
    AtomicFile.writeString(file(runDir, variant), next + " " + node + "\n");
    return next;
  }

  /** Throws unless {@code assignment} is still the current one. */
  public static void check(Path runDir, String variant, long assignment) throws IOException {
    long now = current(runDir, variant);
    if (now != assignment) {
      throw new Superseded(variant + ": assignment " + assignment + " was replaced by " + now
          + " (the run manager moved this variant to another trainer)");
    }
  }

  /** This worker's assignment was given to another trainer. */
  public static final class Superseded extends IOException {
    private static final long serialVersionUID = 1L;

    Superseded(String message) {
      super(message);
    }
  }
}
