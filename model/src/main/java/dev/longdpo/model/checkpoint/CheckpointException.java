package dev.longdpo.model.checkpoint;

import java.nio.file.Path;

/**
 * A checkpoint that cannot be read or written. The message always names the file and, where there
 * is one, the tensor or field at fault, so a user can fix the input without a debugger.
 */
public final class CheckpointException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** A problem with a whole file. */
  public CheckpointException(Path file, String problem) {
    super(file + ": " + problem);
  }

  /** A problem with one tensor or field of a file. */
  public CheckpointException(Path file, String what, String problem) {
    super(file + ": " + what + ": " + problem);
  }

  /** A problem with a file, caused by a lower-level failure. */
  public CheckpointException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
  }
}
