package dev.longdpo.config.files;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a directory so that readers see either the old one or the complete new one: the content is
 * written into a hidden sibling, then renamed into place.
 */
public final class AtomicDirectory {

  /** Fills a fresh directory. */
  @FunctionalInterface
  public interface Filler {
    /** Writes the directory's content into {@code dir}. */
    void fill(Path dir) throws IOException;
  }

  private AtomicDirectory() {}

  /**
   * Replaces {@code target} with a directory written by {@code filler}. If the filler fails, the
   * target is untouched and the temporary directory removed.
   */
  public static void write(Path target, Filler filler) throws IOException {
    Path absolute = target.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    Files.createDirectories(parent);
    String name = absolute.getFileName().toString();
    Path tmp = Files.createTempDirectory(parent, "." + name + ".tmp-");
    try {
      filler.fill(tmp);
      if (Files.exists(absolute)) {
        Path old = parent.resolve("." + name + ".old-" + System.nanoTime());
        move(absolute, old);
        move(tmp, absolute);
        deleteRecursively(old);
      } else {
        move(tmp, absolute);
      }
    } catch (IOException | RuntimeException e) {
      deleteRecursively(tmp);
      throw e;
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  /** Deletes a file or directory tree; a missing path is fine. */
  public static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      try (DirectoryStream<Path> children = Files.newDirectoryStream(path)) {
        for (Path child : children) {
          deleteRecursively(child);
        }
      }
    }
    Files.deleteIfExists(path);
  }
}
