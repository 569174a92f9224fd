package dev.longdpo.cli;

import dev.longdpo.config.SettingsException;
import dev.longdpo.model.checkpoint.CheckpointException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * Builds the {@code longdpo} command line with its writers, exception handler and exit codes in
 * one place, so tests run commands in-process and capture output and codes without {@code
 * System.exit}.
 */
public final class CommandLineFactory {

  private CommandLineFactory() {}

  /** A command line writing to {@code out} and {@code err}. */
  public static CommandLine create(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new LongdpoCommand());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter w = commandLine.getErr();
          Throwable cause = e;
          if (isBadInput(cause)) {
            w.println("error: " + cause.getMessage());
            return ExitCodes.BAD_INPUT;
          }
          w.println("error: " + cause);
          cause.printStackTrace(w);
          return ExitCodes.FAILURE;
        });
    return cl;
  }

  private static boolean isBadInput(Throwable t) {
    return t instanceof BadInputException
        || t instanceof CheckpointException
        || t instanceof SettingsException
        || t instanceof IllegalArgumentException
        || t instanceof UncheckedIOException && t.getCause() instanceof java.nio.file.NoSuchFileException;
  }
}
