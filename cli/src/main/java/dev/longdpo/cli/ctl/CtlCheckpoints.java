package dev.longdpo.cli.ctl;

import dev.longdpo.protocol.control.CheckpointInfo;
import dev.longdpo.protocol.control.CheckpointsReply;
import dev.longdpo.protocol.control.CheckpointsRequest;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ctl checkpoints RUN}: a run's checkpoints and their evaluations. */
@Command(name = "checkpoints", mixinStandardHelpOptions = true,
    description = "List a run's checkpoints (variant, step, pass, stream offset, weights hash) with the S_l / S_q of "
        + "their evaluation when there is one.")
final class CtlCheckpoints extends CtlVerb {

  @Parameters(paramLabel = "RUN", description = "The run id.")
  String runId;

  @Override
  int run(CtlClient client, PrintWriter out, PrintWriter err) {
    CheckpointsReply reply = client.call().checkpoints(CheckpointsRequest.newBuilder().setRunId(runId).build());
    if (reply.getCheckpointsCount() == 0) {
      out.println("run " + runId + ": no checkpoints");
    }
    for (CheckpointInfo c : reply.getCheckpointsList()) {
      out.println(String.format(Locale.ROOT, "%-28s step %6d  pass %d  offset %7d  weights %s%s  %s",
          c.getName(), c.getStep(), c.getEpoch() + 1, c.getStreamOffset(), c.getWeightsSha256().substring(0, 12),
          c.getFinished() ? "  final" : "",
          c.getEvaluated() ? String.format(Locale.ROOT, "S_l %.1f S_q %.1f", c.getSl(), c.getSq()) : "not evaluated"));
    }
    return ok();
  }
}
