package dev.longdpo.cli.ctl;

import dev.longdpo.protocol.control.ListRunsReply;
import dev.longdpo.protocol.control.ListRunsRequest;
import dev.longdpo.protocol.control.RunStatus;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code ctl runs}: every run, oldest first. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "List every run, oldest first.")
final class CtlRuns extends CtlVerb {

  @Override
  int run(CtlClient client, PrintWriter out, PrintWriter err) {
    ListRunsReply reply = client.call().listRuns(ListRunsRequest.getDefaultInstance());
    for (RunStatus s : reply.getRunsList()) {
      out.println(RunStatusText.line(s));
    }
    return ok();
  }
}
