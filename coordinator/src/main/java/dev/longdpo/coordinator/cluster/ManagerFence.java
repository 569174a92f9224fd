package dev.longdpo.coordinator.cluster;

import dev.longdpo.config.files.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A fencing token for the run root: every run manager that starts (the singleton moved, or the
 * cluster restarted) takes the next epoch and writes it with its address to {@code
 * <run-root>/manager.epoch}. Before each write to a pair log the owner checks that the file still
 * holds its epoch; a stale owner (a node that was downed but has not exited yet, or a paused JVM)
 * sees a newer one and stops instead of writing. No file-system lease is needed: the singleton
 * starts only after the old node was downed, and the epoch catches the rest.
 */
final class ManagerFence {

  static final String FILE = "manager.epoch";

  private final Path file;
  private final long epoch;
  private final String owner;

  private ManagerFence(Path file, long epoch, String owner) {
    this.file = file;
    this.epoch = epoch;
    this.owner = owner;
  }

  /** Takes the next epoch for {@code owner}. */
  static ManagerFence claim(Path runRoot, String owner) throws IOException {
    Path file = runRoot.resolve(FILE);
    long previous = read(file);
    long next = previous + 1;
    AtomicFile.writeString(file, next + " " + owner + "\n");
    return new ManagerFence(file, next, owner);
  }

  long epoch() {
    return epoch;
  }

  /** Throws when another manager took a later epoch. */
  void check() {
    long now;
    try {
      now = read(file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the manager fence " + file + ": " + e.getMessage(), e);
    }
    if (now != epoch) {
      throw new IllegalStateException("this run manager (" + owner + ", epoch " + epoch
          + ") was superseded by epoch " + now + " (" + file + "): it stops writing");
    }
  }

  private static long read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    String text = Files.readString(file, StandardCharsets.UTF_8).trim();
    int space = text.indexOf(' ');
    try {
      return Long.parseLong(space < 0 ? text : text.substring(0, space));
    } catch (NumberFormatException e) {
      throw new IOException(file + ": not a manager epoch: '" + text + "'");
    }
  }
}
