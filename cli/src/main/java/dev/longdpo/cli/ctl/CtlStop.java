package dev.longdpo.cli.ctl;

import dev.longdpo.protocol.control.RunStatus;
import dev.longdpo.protocol.control.StopRequest;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ctl stop RUN}. */
@Command(name = "stop", mixinStandardHelpOptions = true,
    description = "Drain a run: no new trees; those in flight finish, then it is STOPPED.")
final class CtlStop extends CtlVerb {

  @Parameters(paramLabel = "RUN", description = "The run id.")
  String runId;

  @Override
  int run(CtlClient client, PrintWriter out, PrintWriter err) {
    RunStatus s = client.call().stop(StopRequest.newBuilder().setRunId(runId).build());
    out.println(RunStatusText.line(s));
    return ok();
  }
}
