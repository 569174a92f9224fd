package dev.longdpo.actors.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The marker a fault-injection hook writes when it holds: {@code <run-root>/hooks/<run>.<what>-held},
 * holding the node's address, so a test knows which node to kill without waiting on time.
 */
public final class HookMarker {

  private HookMarker() {}

  /** The marker of hook {@code what} ("search", "trainer", ...) in run {@code runId}. */
  public static Path file(Path runRoot, String runId, String what) {
    return runRoot.resolve("hooks").resolve(runId + "." + what + "-held");
  }

  /** Writes the marker, naming {@code node}. */
  public static void write(Path runRoot, String runId, String what, String node) {
    Path marker = file(runRoot, runId, what);
    try {
      Files.createDirectories(marker.getParent());
      Files.writeString(marker, node + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
