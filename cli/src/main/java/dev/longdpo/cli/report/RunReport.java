package dev.longdpo.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longdpo.model.runtime.ProcessMemory;
import dev.longdpo.config.files.AtomicFile;
import dev.longdpo.testbed.metrics.SubjectBootstrap;
import dev.longdpo.testbed.task.LengthBuckets;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of a run of the demo's job, written into its directory from the run's files alone
 * ({@link RunReportInputs}): {@code report.txt} (the table and notes as printed),
 * {@code report.json}, {@code report.html}, {@code eval.png} and {@code training.png}. The run
 * manager writes it when everything is evaluated; {@code longdpo demo} prints its text.
 */
public final class RunReport {

  /** The printed table and notes. */
  public static final String TEXT = "report.txt";

  private RunReport() {}

  /** Writes the report of the finished run in {@code runDir}. */
  public static void write(Path runDir) throws IOException {
    RunReportInputs in = RunReportInputs.read(runDir);
    // The node that writes the report: in `longdpo demo` every role runs in it, so this is the job's peak.
    double peak = ProcessMemory.peakResidentBytes();
    List<ReportRow> rows = List.of(new ReportRow("base", in.base()), new ReportRow("dpo", in.dpo()),
        new ReportRow("longdpo", in.longdpo()));
    List<String> notes = notes(in, peak);
    DifferenceTable differences = new DifferenceTable(List.of(Comparison.of("longdpo", in.longdpo(), "base", in.base()),
        Comparison.of("longdpo", in.longdpo(), "dpo", in.dpo())));
    StringWriter text = new StringWriter();
    try (PrintWriter w = new PrintWriter(text)) {
      new ResultTable(LengthBuckets.TESTBED, List.of(in.base(), in.dpo(), in.longdpo())).print(w);
      w.println();
      differences.print(w);
      w.println();
      notes.forEach(n -> w.println("  " + n));
    }
    Plots.training(runDir, in.steps());
    Plots.evaluations(runDir, in.evaluations(), in.base().scores().sl().get("avg"), in.base().scores().sq().get("avg"));

    Map<String, Object> run = new LinkedHashMap<>();
    run.put("run_id", in.runId());
    run.put("mode", in.quick() ? "quick" : "full");
    run.put("seed", in.seed());
    run.put("seconds", in.seconds());
    run.put("base_weights_sha256", in.baseSha256());
    run.put("search", in.searchSummary());
    run.put("longdpo_training", in.finished().get("longdpo"));
    run.put("dpo_training", in.finished().get("dpo"));
    run.put("outcome", in.outcomePlan());
    run.put("outcome_pairs", in.outcomePlan().path("pairs").asInt());
    run.put("peak_rss_bytes", Double.isNaN(peak) ? null : (long) peak);
    if (in.basePretraining().has("pretrain_seconds")) {
      Map<String, Object> pretraining = new LinkedHashMap<>();
      pretraining.put("seconds", in.basePretraining().get("pretrain_seconds").asDouble());
      pretraining.put("peak_rss_bytes", in.basePretraining().has("peak_rss_bytes")
          ? in.basePretraining().get("peak_rss_bytes").asLong() : null);
      run.put("base_pretraining", pretraining);
    }
    run.put("notes", notes);
    run.put("eval_split", in.evalSplit());
    run.put("eval_tasks", in.base().samples().size());
    run.put("eval_subjects", differences.subjects());
    AtomicFile.writeString(runDir.resolve("report.json"),
        ReportJson.render(rows, differences, in.evaluations(), run));
    AtomicFile.writeString(runDir.resolve("report.html"), ReportHtml.render("longdpo demo (seed " + in.seed() + ")",
        LengthBuckets.TESTBED, rows, differences, notes, List.of("eval.png", "training.png")));
    // Last: its presence says the report is whole.
    AtomicFile.writeString(runDir.resolve(TEXT), text.toString());
  }

  private static List<String> notes(RunReportInputs in, double peak) {
    List<String> n = new ArrayList<>();
    JsonNode s = in.searchSummary();
    n.add(String.format(Locale.ROOT, "%s mode, seed %d, %.0f s from submit to report; base weights sha256 %s",
        in.quick() ? "quick" : "full", in.seed(), in.seconds(), in.baseSha256()));
    if (!Double.isNaN(peak)) {
      n.add(String.format(Locale.ROOT, "peak resident memory of the node that wrote this report: %.2f GiB",
          peak / (1L << 30)));
    }
    JsonNode base = in.basePretraining();
    if (base.has("pretrain_seconds") && base.has("peak_rss_bytes")) {
      // A JVM of its own: its peak is not in the node's (docs/footprint.md).
      n.add(String.format(Locale.ROOT, "the base was pretrained (for this run or an earlier one) in %.0f s in a JVM of "
          + "its own, peak resident memory %.2f GiB", base.get("pretrain_seconds").asDouble(),
          base.get("peak_rss_bytes").asDouble() / (1L << 30)));
    }
    n.add(String.format(Locale.ROOT,
        "search: %d prompts (K %d, R %d) -> %d stepwise pairs in %.0f s; premature ends vetoed %d, memory-pool vetoes %d, "
            + "critiques fired %d, applied %d", s.path("prompts").asInt(), in.search().getInt("longdpo.search.k"),
        in.search().getInt("longdpo.search.rollouts"), s.path("pairs").asLong(), s.path("seconds").asDouble(),
        s.path("prematureEnds").asLong(), s.path("vetoes").asLong(), s.path("critiquesFired").asLong(),
        s.path("critiquesApplied").asLong()));
    n.add(training("longdpo", in.finished().get("longdpo"), String.format(Locale.ROOT, "of %d stepwise pairs",
        s.path("pairs").asLong())));
    JsonNode plan = in.outcomePlan();
    n.add(training("dpo", in.finished().get("dpo"), String.format(Locale.ROOT,
        "of %d outcome pairs (best vs worst of %d whole answers a prompt) for a budget of %d tokens",
        plan.path("pairs").asInt(), plan.path("answersPerPrompt").asInt(), plan.path("tokenBudget").asLong())));
    n.add(String.format(Locale.ROOT, "evaluated on %d %s tasks about %d subjects none of the training prompts is about",
        in.base().samples().size(), in.evalSplit(), SubjectBootstrap.subjects(in.base().scores().perSample())));
    return n;
  }

  private static String training(String variant, JsonNode f, String pairs) {
    return String.format(Locale.ROOT,
        "%s: %d steps trained on %d pairs %s, %d tokens (chosen + rejected x passes); %d non-finite gradients "
            + "recomputed, %d steps skipped", variant, f.path("steps").asLong(), f.path("pairs").asLong(), pairs,
        f.path("trained_tokens").asLong(), f.path("recomputed_steps").asLong(), f.path("skipped_steps").asLong());
  }
}
