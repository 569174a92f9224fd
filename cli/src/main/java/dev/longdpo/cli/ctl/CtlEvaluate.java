package dev.longdpo.cli.ctl;

import dev.longdpo.protocol.control.EvaluateRequest;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ctl evaluate RUN --checkpoint C}: have the active run's evaluator score one checkpoint. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Queue one checkpoint of the active run with its evaluator (never skipped for a newer one). Its "
        + "record is written once per weights; `ctl checkpoints` shows the scores.")
final class CtlEvaluate extends CtlVerb {

  @Parameters(paramLabel = "RUN", description = "The run id (the active run).")
  String runId;

  @Option(names = "--checkpoint", required = true, paramLabel = "<name>",
      description = "A checkpoint's name (as `ctl checkpoints` lists it), or 'base'.")
  String checkpoint;

  @Override
  int run(CtlClient client, PrintWriter out, PrintWriter err) {
    out.println(RunStatusText.line(client.call().evaluate(
        EvaluateRequest.newBuilder().setRunId(runId).setCheckpoint(checkpoint).build())));
    return ok();
  }
}
