package dev.longdpo.cli.ctl;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code longdpo ctl}: the control client of a cluster. */
@Command(
    name = "ctl",
    mixinStandardHelpOptions = true,
    description = {
      "Control a longdpo cluster through any node's control port (gRPC). Files (prompts, settings, a",
      "model) are read here and sent; nothing assumes the server can read the client's paths."
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  done (wait: the run is DONE)",
      "  1  failure (a bug, or the server failed; the message says what)",
      "  2  usage error",
      "  3  bad input (the file and line, or the setting, is named)",
      "  4  the control endpoint cannot be reached",
      "  5  no run has that id",
      "  6  refused: missing or wrong token",
      "  7  wait: the run ended FAILED, STOPPED or CANCELLED",
      "  8  pause/resume/evaluate: the run is not the active one, or has no evaluator"
    },
    subcommands = {
      CtlSubmit.class,
      CtlRuns.class,
      CtlStatus.class,
      CtlWait.class,
      CtlEndRun.Stop.class,
      CtlEndRun.Cancel.class,
      CtlPause.Pause.class,
      CtlPause.Resume.class,
      CtlCheckpoints.class,
      CtlEvaluate.class,
      CtlExport.class,
      CtlNodes.class,
      CtlTop.class
    })
public final class CtlCommand implements Runnable {

  @Spec CommandSpec spec;

  @Option(names = "--endpoint", scope = ScopeType.INHERIT, defaultValue = "127.0.0.1:7077", paramLabel = "<host:port>",
      description = "A node's control endpoint (default ${DEFAULT-VALUE}).")
  String endpoint;

  @Option(names = "--token-file", scope = ScopeType.INHERIT, paramLabel = "<file>",
      description = "The control token, when the node requires one.")
  Path tokenFile;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
