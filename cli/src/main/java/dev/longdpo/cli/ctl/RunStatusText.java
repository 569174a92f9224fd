package dev.longdpo.cli.ctl;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.longdpo.protocol.control.EvaluationStatus;
import dev.longdpo.protocol.control.FailedPrompt;
import dev.longdpo.protocol.control.NodeInfo;
import dev.longdpo.protocol.control.Phase;
import dev.longdpo.protocol.control.RunStatus;
import dev.longdpo.protocol.control.TrainerStatus;
import java.util.Locale;
import java.util.Set;

/** A run's status as text, a progress bar, or JSON (the Protobuf message's JSON mapping). */
final class RunStatusText {

  static final Set<Phase> TERMINAL = Set.of(Phase.DONE, Phase.FAILED, Phase.STOPPED, Phase.CANCELLED);

  private RunStatusText() {}

  static String json(RunStatus s) {
    try {
      return JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(s);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  static String text(RunStatus s) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "run %s: %s%s%s%n", s.getRunId(), s.getPhase().name().toLowerCase(Locale.ROOT),
        s.getPaused() ? ", paused" : "", s.getReason().isEmpty() ? "" : " (" + s.getReason() + ")"));
    b.append(String.format(Locale.ROOT, "  prompts  %s%n", bar(s)));
    b.append(String.format(Locale.ROOT, "           %d done, %d in flight, %d failed, %d left of %d%n",
        s.getPromptsDone(), s.getPromptsInFlight(), s.getPromptsFailed(), s.getPromptsLeft(), s.getPromptsTotal()));
    b.append(String.format(Locale.ROOT, "  pairs    %d written; %d trees re-routed after a lost worker%n",
        s.getPairsWritten(), s.getTreesRerun()));
    b.append(String.format(Locale.ROOT, "  dir      %s%n", s.getDirectory()));
    if (!s.getBaseSha256().isEmpty()) {
      b.append(String.format(Locale.ROOT, "  base     sha256 %s%n", s.getBaseSha256()));
    }
    for (TrainerStatus t : s.getTrainersList()) {
      b.append(String.format(Locale.ROOT, "  train    %s on %s (assignment %d): step %d, epoch %d, offset %d, lag %d, "
              + "loss %.4f, last checkpoint %s%s%s%n", t.getVariant(), t.getNode().isEmpty() ? "(unassigned)" : t.getNode(),
          t.getAssignment(), t.getStep(), t.getEpoch() + 1, t.getOffset(), t.getLag(), t.getLoss(),
          t.getLastCheckpoint().isEmpty() ? "none" : t.getLastCheckpoint(), t.getFinished() ? ", finished" : "",
          t.getFailure().isEmpty() ? "" : ", FAILED: " + t.getFailure()));
    }
    for (EvaluationStatus e : s.getEvaluationsList()) {
      b.append(String.format(Locale.ROOT, "  eval     %s: %s, S_l %.1f, S_q %.1f (weights %s, on %s)%n", e.getVariant(),
          e.getCheckpoint(), e.getSl(), e.getSq(), e.getWeightsSha256().length() >= 12
              ? e.getWeightsSha256().substring(0, 12) : e.getWeightsSha256(), e.getNode()));
    }
    for (FailedPrompt f : s.getFailedList()) {
      b.append(String.format(Locale.ROOT, "  failed   %s after %d attempts: %s%n", f.getPromptId(), f.getAttempts(),
          f.getReason()));
    }
    b.append("  nodes").append(System.lineSeparator());
    for (NodeInfo n : s.getNodesList()) {
      b.append(String.format(Locale.ROOT, "    %-36s %-8s %-11s %s%n", n.getAddress(), n.getStatus(),
          n.getReachable() ? "reachable" : "UNREACHABLE", String.join(",", n.getRolesList())));
    }
    return b.toString();
  }

  static String bar(RunStatus s) {
    int width = 30;
    int total = Math.max(1, s.getPromptsTotal());
    int done = (int) Math.round(width * (double) s.getPromptsDone() / total);
    int failed = (int) Math.round(width * (double) s.getPromptsFailed() / total);
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < width; i++) {
      b.append(i < done ? '#' : i < done + failed ? 'x' : '.');
    }
    return b.append(String.format(Locale.ROOT, "] %d/%d", s.getPromptsDone(), s.getPromptsTotal())).toString();
  }

  /** One line for progress displays. */
  static String line(RunStatus s) {
    StringBuilder trainers = new StringBuilder();
    for (TrainerStatus t : s.getTrainersList()) {
      trainers.append(String.format(Locale.ROOT, ", %s step %d lag %d", t.getVariant(), t.getStep(), t.getLag()));
    }
    return String.format(Locale.ROOT, "%s %s%s %s, %d pairs%s", s.getRunId(), s.getPhase().name().toLowerCase(Locale.ROOT),
        s.getPaused() ? " (paused)" : "", bar(s), s.getPairsWritten(), trainers);
  }
}
