package dev.longdpo.cli.demo;

import dev.longdpo.actors.evaluator.EvalRecord;
import dev.longdpo.cli.report.Plots;
import dev.longdpo.cli.report.ReportHtml;
import dev.longdpo.cli.report.ReportJson;
import dev.longdpo.cli.report.ReportRow;
import dev.longdpo.cli.report.ResultTable;
import dev.longdpo.model.checkpoint.AtomicFile;
import dev.longdpo.model.train.GradientLock;
import dev.longdpo.testbed.task.LengthBuckets;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes the demo's report: the printed table, {@code report.json}, {@code report.html} and plots. */
public final class DemoReport {

  private DemoReport() {}

  /** Prints the table and writes the files into {@code out}. */
  public static void write(Path out, DemoJob.Outcome o, DemoSettings mode, long seed, boolean quick, PrintWriter w)
      throws IOException {
    List<ReportRow> rows = List.of(new ReportRow("base", o.base()), new ReportRow("dpo", o.dpo()),
        new ReportRow("longdpo", o.longdpo()));
    List<EvalRecord> table = List.of(o.base(), o.dpo(), o.longdpo());
    w.println();
    new ResultTable(LengthBuckets.TESTBED, table).print(w);
    List<String> notes = notes(o, mode, seed, quick);
    w.println();
    notes.forEach(n -> w.println("  " + n));

    Map<String, List<dev.longdpo.cli.train.TrainingLog.Step>> steps = new LinkedHashMap<>();
    steps.put("longdpo", o.trainingLog().steps("longdpo"));
    steps.put("dpo", o.trainingLog().steps("dpo"));
    Plots.training(out, steps);
    Plots.evaluations(out, o.evaluations(), o.base().scores().sl().get("avg"), o.base().scores().sq().get("avg"));

    Map<String, Object> run = new LinkedHashMap<>();
    run.put("mode", quick ? "quick" : "full");
    run.put("seed", seed);
    run.put("seconds", o.seconds());
    run.put("base_weights_sha256", o.baseWeightsSha256());
    run.put("search", o.search());
    run.put("longdpo_training", o.longdpoTraining());
    run.put("dpo_training", o.dpoTraining());
    run.put("outcome_pairs", o.outcomePairs());
    run.put("notes", notes);
    AtomicFile.writeString(out.resolve("report.json"), ReportJson.render(rows, o.evaluations(), run));
    AtomicFile.writeString(out.resolve("report.html"), ReportHtml.render("longdpo demo (seed " + seed + ")",
        LengthBuckets.TESTBED, rows, notes, List.of("eval.png", "training.png")));
    w.println();
    w.println("report: " + out.resolve("report.html") + " (also report.json, eval.png, training.png, eval/, train/)");
    w.flush();
  }

  private static List<String> notes(DemoJob.Outcome o, DemoSettings mode, long seed, boolean quick) {
    List<String> n = new ArrayList<>();
    var s = o.search();
    n.add(String.format(Locale.ROOT, "%s mode, seed %d, %.0f s in all; base weights sha256 %s", quick ? "quick" : "full",
        seed, o.seconds(), o.baseWeightsSha256()));
    n.add(String.format(Locale.ROOT,
        "search: %d prompts (K %d, R %d) -> %d stepwise pairs in %.0f s; premature ends vetoed %d, memory-pool vetoes %d, "
            + "critiques fired %d, applied %d", s.prompts(), mode.searchK(), mode.searchRollouts(), s.pairs(), s.seconds(),
        s.prematureEnds(), s.vetoes(), s.critiquesFired(), s.critiquesApplied()));
    n.add(String.format(Locale.ROOT, "longdpo: %d steps on %d pairs, %d trained tokens (chosen + rejected x epochs)",
        o.longdpoTraining().steps(), o.longdpoTraining().pairs(), o.longdpoTraining().trainedTokens()));
    n.add(String.format(Locale.ROOT, "dpo (outcome baseline): %d pairs of whole answers, %d steps, %d trained tokens",
        o.outcomePairs(), o.dpoTraining().steps(), o.dpoTraining().trainedTokens()));
    // Everything ran in one JVM: what sharing the model runtime cost (see GradientLock).
    n.add(String.format(Locale.ROOT, "gradient lock: training steps waited %.0f s, inference calls %.0f s",
        GradientLock.waitedMillis() / 1000.0, GradientLock.inferenceWaitedMillis() / 1000.0));
    n.add(delta("longdpo vs base", o.longdpo(), o.base()));
    n.add(delta("longdpo vs dpo", o.longdpo(), o.dpo()));
    return n;
  }

  private static String delta(String label, EvalRecord a, EvalRecord b) {
    var fa = a.scores().judgeFree();
    var fb = b.scores().judgeFree();
    return String.format(Locale.ROOT,
        "%s: S_l %+.1f, S_q %+.1f, CR %+.1f, STIC-1 %+.1f, repeated %+.1f pts, off-topic %+.1f pts, contradictions %+.1f pts, "
            + "length error %+.2f", label,
        a.scores().sl().get("avg") - b.scores().sl().get("avg"), a.scores().sq().get("avg") - b.scores().sq().get("avg"),
        a.scores().sections().cr() - b.scores().sections().cr(), a.scores().sections().stic1() - b.scores().sections().stic1(),
        100 * (fa.repeatedRate() - fb.repeatedRate()), 100 * (fa.offTopicRate() - fb.offTopicRate()),
        100 * (fa.contradictionRate() - fb.contradictionRate()), fa.lengthError() - fb.lengthError());
  }
}
