package dev.longdpo.cli.ctl;

import dev.longdpo.protocol.control.RunStatus;
import dev.longdpo.protocol.control.StatusRequest;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ctl status RUN}: one run's state, as text, JSON or a live view. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"A run's phase, prompts done / in flight / failed / left, pairs written and the nodes.",
        "--json prints the RunStatus message's Protobuf JSON mapping (schema: protocol/src/main/proto/longdpo/control.proto)."})
final class CtlStatus extends CtlVerb {

  @Parameters(paramLabel = "RUN", description = "The run id.")
  String runId;

  @Option(names = "--json", description = "JSON instead of text.")
  boolean json;

  @Option(names = "--watch", description = "Redraw every second until the run ends.")
  boolean watch;

  @Override
  int run(CtlClient client, PrintWriter out, PrintWriter err) throws CtlException {
    StatusRequest request = StatusRequest.newBuilder().setRunId(runId).build();
    while (true) {
      RunStatus s = client.call().status(request);
      if (watch && !json) {
        out.print("\033[H\033[2J"); // clear the terminal, then draw
      }
      out.println(json ? RunStatusText.json(s) : RunStatusText.text(s));
      out.flush();
      if (!watch || RunStatusText.TERMINAL.contains(s.getPhase())) {
        return ok();
      }
      CtlWait.pause();
    }
  }
}
