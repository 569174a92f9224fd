package dev.longdpo.actors.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The run root's marker: a file holding a random token, created once by the first node that uses
 * the directory. Nodes compare their copy with the run manager's to prove they see the same
 * directory (a shared file system on a real cluster).
 */
public final class RunRootMarker {

  /** The marker's file name in the run root. */
  public static final String FILE = ".longdpo-root";

  private RunRootMarker() {}

  /** Reads the token, creating the marker (and the directory) first if there is none. */
  public static String ensure(Path runRoot) throws IOException {
    Files.createDirectories(runRoot);
    Path marker = runRoot.resolve(FILE);
    if (!Files.exists(marker)) {
      Path tmp = Files.createTempFile(runRoot, FILE, ".tmp");
      Files.writeString(tmp, UUID.randomUUID() + "\n", StandardCharsets.UTF_8);
      try {
        // A link is atomic and fails if another node created the marker meanwhile.
        Files.createLink(marker, tmp);
      } catch (FileAlreadyExistsException e) {
        // another node won: use its token
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    return Files.readString(marker, StandardCharsets.UTF_8).trim();
  }

  /**
   * Null when {@code runRoot} holds the manager's marker {@code token}; else why not, naming
   * {@code nodeName} and the marker file.
   */
  public static String check(Path runRoot, String token, String nodeName) {
    Path marker = runRoot.resolve(FILE);
    try {
      String mine = Files.exists(marker) ? Files.readString(marker, StandardCharsets.UTF_8).trim() : "";
      if (!mine.equals(token)) {
        return nodeName + ": the run root " + runRoot + " is not the one the run manager writes to (" + marker
            + (mine.isEmpty() ? " is missing" : " holds another token")
            + "); every node needs the same run root, on a shared file system";
      }
      return null;
    } catch (IOException e) {
      return nodeName + ": cannot read " + marker + ": " + e.getMessage();
    }
  }
}
