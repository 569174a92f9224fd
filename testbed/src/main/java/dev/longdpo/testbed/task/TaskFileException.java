package dev.longdpo.testbed.task;

import java.nio.file.Path;

/** A task file that cannot be read; the message names the file and the line. */
public final class TaskFileException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** A problem on one line (1-based). */
  public TaskFileException(Path file, int line, String problem) {
    super(file + ":" + line + ": " + problem);
  }

  /** A problem with the whole file. */
  public TaskFileException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
  }
}
