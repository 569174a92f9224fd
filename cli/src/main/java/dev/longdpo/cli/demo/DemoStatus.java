package dev.longdpo.cli.demo;

import dev.longdpo.protocol.control.EvaluationStatus;
import dev.longdpo.protocol.control.Phase;
import dev.longdpo.protocol.control.RunStatus;
import dev.longdpo.protocol.control.TrainerStatus;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The demo's progress from its run's status: search, training and evaluation run at once, so
 * instead of one bar it prints a line for each milestone (a phase begins, a trainer finishes, a
 * model is evaluated) and, every few seconds, what is going on ("[02:10] search 80/304 prompts,
 * 412 pairs | longdpo step 35 (pass 1) loss 0.661 | pretraining ..."). Called from one thread.
 */
public final class DemoStatus {

  private final PrintWriter err;
  private final long everyNanos;
  private final long started = System.nanoTime();
  private long lastLine = System.nanoTime();
  private Phase phase = Phase.PHASE_UNSPECIFIED;
  private final Set<String> finished = new java.util.HashSet<>();
  private final Map<String, String> evaluated = new HashMap<>();

  /** Status lines to {@code err}, every {@code seconds}. */
  public DemoStatus(PrintWriter err, int seconds) {
    this.err = err;
    this.everyNanos = seconds * 1_000_000_000L;
  }

  /** A milestone, printed at once. */
  public void say(String line) {
    err.printf(Locale.ROOT, "[%s] %s%n", elapsed(), line);
    err.flush();
  }

  /** Takes the run's latest status: prints what changed, and the status line when it is due. */
  public void update(RunStatus s) {
    for (TrainerStatus t : s.getTrainersList()) {
      if (t.getFinished() && finished.add(t.getVariant())) {
        say(String.format(Locale.ROOT, "%s trained: %d steps, last checkpoint %s", t.getVariant(), t.getStep(),
            t.getLastCheckpoint()));
      }
    }
    for (EvaluationStatus e : s.getEvaluationsList()) {
      if (!e.getWeightsSha256().equals(evaluated.put(e.getCheckpoint(), e.getWeightsSha256()))) {
        say(String.format(Locale.ROOT, "evaluated %s: S_l %.1f, S_q %.1f", e.getCheckpoint(), e.getSl(), e.getSq()));
      }
    }
    if (s.getPhase() != phase) {
      phase = s.getPhase();
      say(describe(s));
    }
    if (System.nanoTime() - lastLine >= everyNanos) {
      lastLine = System.nanoTime();
      String line = line(s);
      if (!line.isEmpty()) {
        say(line);
      }
    }
  }

  private static String describe(RunStatus s) {
    return switch (s.getPhase()) {
      case QUEUED -> "queued";
      case PREPARING -> "preparing the base model";
      case SEARCHING -> "base model sha256 " + s.getBaseSha256().substring(0, Math.min(12, s.getBaseSha256().length()))
          + "…; search on " + s.getPromptsTotal() + " training prompts, training longdpo on its pair stream, "
          + "evaluating the base on held-out tasks";
      case TRAINING -> String.format(Locale.ROOT, "search finished: %d pairs from %d prompts (%d failed); "
          + "sampling the outcome baseline, training", s.getPairsWritten(), s.getPromptsDone(), s.getPromptsFailed());
      case EVALUATING -> "trained; evaluating the final checkpoints";
      case REPORTING -> "evaluated; writing the report";
      default -> s.getPhase().name().toLowerCase(Locale.ROOT) + (s.getReason().isEmpty() ? "" : ": " + s.getReason());
    };
  }

  /** What is going on now, in parts. */
  private static String line(RunStatus s) {
    StringBuilder b = new StringBuilder();
    if (s.getPhase() == Phase.SEARCHING) {
      b.append(String.format(Locale.ROOT, "search %d/%d prompts, %d pairs", s.getPromptsDone(), s.getPromptsTotal(),
          s.getPairsWritten()));
    }
    for (TrainerStatus t : s.getTrainersList()) {
      if (!t.getFinished() && t.getStep() > 0) {
        append(b, String.format(Locale.ROOT, "%s step %d (pass %d) loss %.3f", t.getVariant(), t.getStep(),
            t.getEpoch() + 1, t.getLoss()));
      }
    }
    if (!s.getReason().isEmpty()) {
      append(b, s.getReason());
    }
    return b.toString();
  }

  private static void append(StringBuilder b, String part) {
    if (b.length() > 0) {
      b.append(" | ");
    }
    b.append(part);
  }

  private String elapsed() {
    long s = (System.nanoTime() - started) / 1_000_000_000L;
    return String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
  }

  /** Seconds since the start. */
  public double seconds() {
    return (System.nanoTime() - started) / 1e9;
  }
}
