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

  /** {@code ctl}: the control endpoint cannot be reached (nothing listens, or it does not answer). */
  public static final int UNREACHABLE = 4;

  /** {@code ctl}: no run has that id. */
  public static final int UNKNOWN_RUN = 5;

  /** {@code ctl}: the node refused the call (missing or wrong token). */
  public static final int REFUSED = 6;

  /** {@code ctl wait}: the run ended failed, stopped or cancelled. */
  public static final int RUN_NOT_DONE = 7;

  /** The run is not in a state the call needs (pause or resume of a run that is not active). */
  public static final int WRONG_STATE = 8;

  private ExitCodes() {}
}
