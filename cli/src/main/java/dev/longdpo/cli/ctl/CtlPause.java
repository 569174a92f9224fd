package dev.longdpo.cli.ctl;

import dev.longdpo.protocol.control.PauseRequest;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ctl pause RUN} and {@code ctl resume RUN}, printing where the run stands. */
abstract class CtlPause extends CtlVerb {

  @Parameters(paramLabel = "RUN", description = "The run id (the active run).")
  String runId;

  /** Whether this verb pauses (else it resumes). */
  abstract boolean pauses();

  @Override
  final int run(CtlClient client, PrintWriter out, PrintWriter err) {
    PauseRequest r = PauseRequest.newBuilder().setRunId(runId).build();
    out.println(RunStatusText.line(pauses() ? client.call().pause(r) : client.call().resume(r)));
    return ok();
  }

  @Command(name = "pause", mixinStandardHelpOptions = true,
      description = "Pause the active run: no tree sends a new expansion and no trainer starts a step (work in flight "
          + "finishes) until resumed.")
  static final class Pause extends CtlPause {
    @Override
    boolean pauses() {
      return true;
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused run.")
  static final class Resume extends CtlPause {
    @Override
    boolean pauses() {
      return false;
    }
  }
}
