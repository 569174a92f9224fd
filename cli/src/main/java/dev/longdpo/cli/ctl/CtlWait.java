package dev.longdpo.cli.ctl;

import dev.longdpo.cli.ExitCodes;
import dev.longdpo.protocol.control.Phase;
import dev.longdpo.protocol.control.RunStatus;
import dev.longdpo.protocol.control.StatusRequest;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ctl wait RUN}: waits until the run ends. While the run manager moves (its node died) the
 * node answers "unavailable" for a while: that is waited out, up to {@code --manager-gone}.
 */
@Command(name = "wait", mixinStandardHelpOptions = true,
    description = "Wait until a run ends; exit 0 when it is DONE, 7 when it FAILED, was STOPPED or CANCELLED.")
final class CtlWait extends CtlVerb {

  @Parameters(paramLabel = "RUN", description = "The run id.")
  String runId;

  @Option(names = "--manager-gone", defaultValue = "120s", paramLabel = "<duration>",
      description = "How long the run manager may stay unreachable (it moves when its node dies); default ${DEFAULT-VALUE}.")
  String managerGone;

  @Option(names = "--timeout", paramLabel = "<duration>",
      description = "Give up (exit 1) when the run has not ended after this long; default: wait as long as it takes.")
  String timeout;

  @Override
  int run(CtlClient client, PrintWriter out, PrintWriter err) throws CtlException {
    Duration patience = parse("--manager-gone", managerGone);
    long giveUp = timeout == null ? Long.MAX_VALUE : System.nanoTime() + parse("--timeout", timeout).toNanos();
    StatusRequest request = StatusRequest.newBuilder().setRunId(runId).build();
    long unavailableSince = -1;
    String last = "";
    while (true) {
      RunStatus s;
      try {
        s = client.call().status(request);
        unavailableSince = -1;
      } catch (StatusRuntimeException e) {
        if (CtlClient.exitCode(e) != ExitCodes.UNREACHABLE) {
          throw e;
        }
        long now = System.nanoTime();
        unavailableSince = unavailableSince < 0 ? now : unavailableSince;
        if (now - unavailableSince > patience.toNanos()) {
          throw e;
        }
        pause();
        continue;
      }
      String line = RunStatusText.line(s);
      if (!line.equals(last)) {
        err.println(line);
        err.flush();
        last = line;
      }
      if (System.nanoTime() - giveUp > 0 && !RunStatusText.TERMINAL.contains(s.getPhase())) {
        throw new CtlException(ExitCodes.FAILURE, "run " + runId + " has not ended within " + timeout + ": " + line);
      }
      if (RunStatusText.TERMINAL.contains(s.getPhase())) {
        out.println(s.getRunId() + " " + s.getPhase().name().toLowerCase(java.util.Locale.ROOT)
            + (s.getReason().isEmpty() ? "" : ": " + s.getReason()));
        return s.getPhase() == Phase.DONE ? ok() : ExitCodes.RUN_NOT_DONE;
      }
      pause();
    }
  }

  /** The polling interval of wait and status --watch. */
  static void pause() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static Duration parse(String option, String d) throws CtlException {
    try {
      return Duration.ofMillis(com.typesafe.config.ConfigFactory.parseString("d = " + d).getDuration("d").toMillis());
    } catch (RuntimeException e) {
      throw new CtlException(ExitCodes.USAGE, option + " '" + d + "': not a duration (e.g. 120s)");
    }
  }
}
