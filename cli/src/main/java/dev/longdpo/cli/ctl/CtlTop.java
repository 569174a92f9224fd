package dev.longdpo.cli.ctl;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.longdpo.protocol.control.EvaluationStatus;
import dev.longdpo.protocol.control.NodeTop;
import dev.longdpo.protocol.control.RunStatus;
import dev.longdpo.protocol.control.TopReply;
import dev.longdpo.protocol.control.TopRequest;
import dev.longdpo.protocol.control.TrainerStatus;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ctl top}: a live table of the cluster, one row per node (roles, up time, CPU, heap,
 * resident memory, its role's rates) and one for the active run (phase, prompts, pairs, each
 * trainer's step and lag, the last evaluations), redrawn every second; any node answers for all.
 */
@Command(name = "top", mixinStandardHelpOptions = true,
    description = {"A live table of every node (roles, up time, CPU, heap, rates) and of the active run,",
        "redrawn every second until interrupted; any node answers for all."})
final class CtlTop extends CtlVerb {

  @Option(names = "--once", description = "Print one frame and exit.")
  boolean once;

  @Option(names = "--json", description = "The TopReply message in Protobuf's JSON mapping (with --once: one object).")
  boolean json;

  @Override
  int run(CtlClient client, PrintWriter out, PrintWriter err) throws CtlException {
    while (true) {
      TopReply reply = client.call().top(TopRequest.getDefaultInstance());
      if (!once && !json) {
        out.print("\033[H\033[2J"); // clear the terminal, then draw
      }
      out.println(json ? json(reply) : text(reply));
      out.flush();
      if (once) {
        return ok();
      }
      CtlWait.pause();
    }
  }

  static String json(TopReply r) {
    try {
      return JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(r);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  static String text(TopReply r) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%-36s %-36s %-11s %8s %5s %15s %8s  %s%n", "node", "roles", "status", "up",
        "cpu", "heap", "rss", "rates (per second)"));
    for (NodeTop n : r.getNodesList()) {
      b.append(String.format(Locale.ROOT, "%-36s %-36s %-11s %8s %4.0f%% %6s / %6s %8s  %s%n", n.getAddress(),
          String.join(",", n.getRolesList()), n.getReachable() ? n.getStatus() : "UNREACHABLE",
          n.getAgeMs() < 0 ? "-" : duration(n.getUptimeSeconds()), 100 * n.getProcessCpu(), bytes(n.getHeapUsedBytes()),
          bytes(n.getHeapMaxBytes()), bytes(n.getResidentBytes()), rates(n.getRatesMap())));
    }
    if (r.getHasActive()) {
      RunStatus s = r.getActive();
      b.append(String.format(Locale.ROOT, "%nrun %s: %s%s, prompts %d/%d (%d in flight, %d failed), pairs %d%s%n",
          s.getRunId(), s.getPhase().name().toLowerCase(Locale.ROOT), s.getPaused() ? " (paused)" : "",
          s.getPromptsDone(), s.getPromptsTotal(), s.getPromptsInFlight(), s.getPromptsFailed(), s.getPairsWritten(),
          s.getReason().isEmpty() ? "" : "; " + s.getReason()));
      for (TrainerStatus t : s.getTrainersList()) {
        b.append(String.format(Locale.ROOT, "  train %-12s step %6d  pass %d  lag %6d  loss %7.4f  %s%s%n", t.getVariant(),
            t.getStep(), t.getEpoch() + 1, t.getLag(), t.getLoss(), t.getNode().isEmpty() ? "(unassigned)" : t.getNode(),
            t.getFinished() ? "  finished" : ""));
      }
      for (EvaluationStatus e : s.getEvaluationsList()) {
        b.append(String.format(Locale.ROOT, "  eval  %-12s %s: S_l %.1f, S_q %.1f%n", e.getVariant(), e.getCheckpoint(),
            e.getSl(), e.getSq()));
      }
    } else {
      b.append(String.format(Locale.ROOT, "%nno active run%n"));
    }
    return b.toString();
  }

  private static String rates(Map<String, Double> rates) {
    StringBuilder b = new StringBuilder();
    new TreeMap<>(rates).forEach((k, v) -> {
      if (v > 0) {
        b.append(b.length() > 0 ? ", " : "").append(String.format(Locale.ROOT, "%s %.1f", k, v));
      }
    });
    return b.length() == 0 ? "idle" : b.toString();
  }

  private static String bytes(double v) {
    if (!Double.isFinite(v) || v < 0) {
      return "-";
    }
    return v >= 1 << 30 ? String.format(Locale.ROOT, "%.1fG", v / (1 << 30)) : String.format(Locale.ROOT, "%.0fM", v / (1 << 20));
  }

  private static String duration(double seconds) {
    long s = (long) seconds;
    return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
        : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
  }
}
