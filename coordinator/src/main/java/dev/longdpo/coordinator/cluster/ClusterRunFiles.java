package dev.longdpo.coordinator.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.longdpo.config.files.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A cluster run's own files, beside what {@link dev.longdpo.coordinator.run.RunDirectory} keeps
 * (run.json, prompts.jsonl, pairs.log, summary.json):
 *
 * <pre>
 *   submit.json   how the run was submitted: order, backend, request hash (idempotent submits)
 *   search.conf   the resolved longdpo.search settings (a resumed run uses these, not a node's)
 *   train.conf    the resolved longdpo.train settings, for a run that trains
 *   outcome.conf  the resolved longdpo.outcome settings, for the demo's job
 *   outcome/      the demo's job: the outcome baseline's pairs (pairs.log) and plan.json
 *   report.*      the demo's job: report.json, report.html, report.txt and plots
 *   events.jsonl  control events: paused and resumed, with the search's expansion count then
 *   train/        per variant: its assignment, and its trainers' records (variant.jsonl)
 *   checkpoints/  the trained variants' checkpoints (variant-step-n)
 *   state.json    phase, reason, failed prompts; written by the manager at every phase change
 *   base/         the base model, copied once (sha256 in state.json)
 * </pre>
 */
final class ClusterRunFiles {

  static final String SUBMIT = "submit.json";
  static final String STATE = "state.json";
  static final String SEARCH = "search.conf";
  static final String TRAIN = "train.conf";
  static final String OUTCOME = "outcome.conf";
  static final String EVENTS = "events.jsonl";
  static final String BASE = "base";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ClusterRunFiles() {}

  /**
   * How a run was submitted.
   *
   * @param seq the submit order (runs are searched in it)
   * @param backend {@code testing}, {@code model} or {@code testbed}
   * @param requestSha256 the request's hash without its id: a resubmit under the same id is the
   *     same run only if this matches
   * @param demoJob the demo's whole job (outcome baseline and report too)
   * @param seed the demo's seed (testbed runs; 0 in runs of older builds, which used seed 1)
   */
  record Submitted(String runId, long seq, long submittedEpochMs, String backend, boolean testbedQuick,
      String promptsName, String settingsName, String requestSha256, boolean train, List<String> variants,
      boolean demoJob, long seed) {

    /** The variants a training run trains (one, "longdpo", unless it named others). */
    List<String> trainedVariants() {
      if (demoJob) {
        return RunSubmission.DEMO_VARIANTS;
      }
      return variants == null || variants.isEmpty() ? List.of(RunManager.STEPWISE_VARIANT) : variants;
    }

    /** Whether the run trains. */
    boolean trains() {
      return train || demoJob;
    }
  }

  /** A failed prompt, as state.json lists it. */
  record Failed(String promptId, int attempts, String reason) {}

  /** What state.json holds. */
  /** A variant's latest evaluation, as state.json keeps it (status shows it after the run ended). */
  record Evaluated(String variant, String checkpoint, long step, String weightsSha256, double sl, double sq,
      String record, String node) {}

  record State(String phase, String reason, String baseSha256, List<Failed> failed, int treesRerun,
      int promptsDone, long pairs, boolean paused, List<Evaluated> evaluations) {

    State {
      failed = List.copyOf(failed);
      evaluations = evaluations == null ? List.of() : List.copyOf(evaluations);
    }

    static State queued() {
      return new State("QUEUED", "", "", List.of(), 0, 0, 0, false, List.of());
    }

  }

  static Submitted readSubmitted(Path runDir) throws IOException {
    return JSON.readValue(Files.readString(runDir.resolve(SUBMIT)), Submitted.class);
  }

  static State readState(Path runDir) throws IOException {
    Path f = runDir.resolve(STATE);
    return Files.exists(f) ? JSON.readValue(Files.readString(f), State.class) : State.queued();
  }

  static void write(Path file, Object value) throws IOException {
    AtomicFile.writeString(file, JSON.writeValueAsString(value));
  }
}
