package dev.longdpo.cli.ctl;

/** A ctl failure with its message (one line) and exit code. */
final class CtlException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int exitCode;

  CtlException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
