package dev.longdpo.cli.ctl;

import dev.longdpo.protocol.control.RunStatus;
import dev.longdpo.protocol.control.StopRequest;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ctl cancel RUN}. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
    description = "Cancel a run at once: trees in flight are dropped; it is CANCELLED.")
final class CtlCancel extends CtlVerb {

  @Parameters(paramLabel = "RUN", description = "The run id.")
  String runId;

  @Override
  int run(CtlClient client, PrintWriter out, PrintWriter err) {
    RunStatus s = client.call().cancel(StopRequest.newBuilder().setRunId(runId).build());
    out.println(RunStatusText.line(s));
    return ok();
  }
}
