package dev.longdpo.cli;

/** Entry point of {@code ./longdpo}. */
public final class Main {

  private Main() {}

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(CommandLineFactory.create(Console.stdout(), Console.stderr()).execute(args));
  }
}
