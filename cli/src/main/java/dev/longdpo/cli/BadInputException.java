package dev.longdpo.cli;

/** An input the user can fix; printed without a stack trace, exit code {@link ExitCodes#BAD_INPUT}. */
public final class BadInputException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** @param message names the thing and the place (file, line, field) */
  public BadInputException(String message) {
    super(message);
  }

  /** With the underlying cause. */
  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
