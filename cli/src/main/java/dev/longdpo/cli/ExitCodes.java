package dev.longdpo.cli;

/** Exit codes of every command. */
public final class ExitCodes {

  /** Success. */
  public static final int OK = 0;

  /** The work failed (a bug or an environment problem); the message says what broke. */
  public static final int FAILURE = 1;

  /** The command line was wrong (picocli's usage error). */
  public static final int USAGE = 2;

  /** An input (file, checkpoint, configuration value) is bad; the message names it. */
  public static final int BAD_INPUT = 3;

  private ExitCodes() {}
}
