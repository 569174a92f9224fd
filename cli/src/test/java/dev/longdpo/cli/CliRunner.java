package dev.longdpo.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs {@code longdpo} in-process and captures its output and exit code. */
final class CliRunner {

  record Result(int exitCode, String out, String err) {}

  private CliRunner() {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = CommandLineFactory.create(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
