package dev.longdpo.cli.ctl;

import dev.longdpo.protocol.control.ControlGrpc;
import dev.longdpo.protocol.control.RunStatus;
import dev.longdpo.protocol.control.StopRequest;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ctl stop RUN} and {@code ctl cancel RUN}: end a run, printing where it stands. */
abstract class CtlEndRun extends CtlVerb {

  @Parameters(paramLabel = "RUN", description = "The run id.")
  String runId;

  /** The call that ends the run. */
  abstract RunStatus end(ControlGrpc.ControlBlockingStub stub, StopRequest request);

  @Override
  final int run(CtlClient client, PrintWriter out, PrintWriter err) {
    out.println(RunStatusText.line(end(client.call(), StopRequest.newBuilder().setRunId(runId).build())));
    return ok();
  }

  @Command(name = "stop", mixinStandardHelpOptions = true,
      description = "Drain a run: no new trees; those in flight finish, then it is STOPPED.")
  static final class Stop extends CtlEndRun {
    @Override
    RunStatus end(ControlGrpc.ControlBlockingStub stub, StopRequest request) {
      return stub.stop(request);
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true,
      description = "Cancel a run at once: trees in flight are dropped; it is CANCELLED.")
  static final class Cancel extends CtlEndRun {
    @Override
    RunStatus end(ControlGrpc.ControlBlockingStub stub, StopRequest request) {
      return stub.cancel(request);
    }
  }
}
