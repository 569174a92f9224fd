package dev.longdpo.cli;

import java.io.PrintWriter;

/** Entry point of {@code ./longdpo}. */
public final class Main {

  private Main() {}

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    CollectorCheck.warning().ifPresent(w -> {
      PrintWriter err = Console.stderr();
      err.println(w);
      err.flush();
    });
    System.exit(CommandLineFactory.create(Console.stdout(), Console.stderr()).execute(args));
  }
}
