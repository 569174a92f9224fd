package dev.longdpo.cli.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.longdpo.cli.BadInputException;
import dev.longdpo.cli.ExitCodes;
import dev.longdpo.cli.demo.DemoJob;
import dev.longdpo.config.files.AtomicFile;
import dev.longdpo.testbed.metrics.SubjectBootstrap;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Compares finished runs of the demo's job: the README's tables with their verdicts. */
@Command(
    mixinStandardHelpOptions = true,
    name = "report",
    description = {
      "Compare finished runs of the demo's job (several seeds, or one seed run twice): per run,",
      "longdpo - base and longdpo - dpo on each headline metric with its 95% interval (resampling",
      "subjects), and the verdict across runs: better or worse only where every run's interval",
      "excludes 0 with the same sign. Runs of one seed also give the spread of a rerun. Reads only",
      "the runs' files; writes nothing unless --json is given."
    })
public final class ReportCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "<run>",
      description = "A finished run: a demo's --out directory or a run directory (runs/<id>) of a cluster.")
  List<Path> dirs;

  @Option(names = "--json", paramLabel = "<file>", description = "Also write the comparison as JSON (atomically).")
  Path json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<AcrossRuns.Run> vsBase = new ArrayList<>();
    List<AcrossRuns.Run> vsDpo = new ArrayList<>();
    List<Map<String, Object>> described = new ArrayList<>();
    Map<Long, Integer> perSeed = new HashMap<>();
    String split = null;
    for (Path d : dirs) {
      Path runDir = runDir(d);
      RunReportInputs in;
      try {
        in = RunReportInputs.read(runDir);
      } catch (IOException | IllegalArgumentException e) {
        throw new BadInputException(d + ": not a finished run of the demo's job (" + e.getMessage() + ")", e);
      }
      if (split != null && !split.equals(in.evalSplit())) {
        throw new BadInputException(d + ": evaluated on the " + in.evalSplit() + " split, the runs before it on "
            + split + "; compare runs of one split");
      }
      split = in.evalSplit();
      int n = perSeed.merge(in.seed(), 1, Integer::sum);
      String label = "seed " + in.seed() + (n > 1 ? " #" + n : "");
      vsBase.add(new AcrossRuns.Run(label, in.seed(), Comparison.of("longdpo", in.longdpo(), "base", in.base())));
      vsDpo.add(new AcrossRuns.Run(label, in.seed(), Comparison.of("longdpo", in.longdpo(), "dpo", in.dpo())));
      Map<String, Object> run = new LinkedHashMap<>();
      run.put("label", label);
      run.put("dir", runDir.toString());
      run.put("mode", in.quick() ? "quick" : "full");
      run.put("seed", in.seed());
      run.put("eval_split", in.evalSplit());
      run.put("eval_tasks", in.base().samples().size());
      run.put("eval_subjects", SubjectBootstrap.subjects(in.base().scores().perSample()));
      run.put("base_weights_sha256", in.baseSha256());
      run.put("stepwise_pairs", in.searchSummary().path("pairs").asLong());
      run.put("S_l", Map.of("base", in.base().scores().sl().get("avg"), "dpo", in.dpo().scores().sl().get("avg"),
          "longdpo", in.longdpo().scores().sl().get("avg")));
      run.put("S_q", Map.of("base", in.base().scores().sq().get("avg"), "dpo", in.dpo().scores().sq().get("avg"),
          "longdpo", in.longdpo().scores().sq().get("avg")));
      described.add(run);
      out.printf(Locale.ROOT, "%-12s %s mode, %s split (%d tasks, %d subjects), %d stepwise pairs, base %s…: "
              + "S_l base %.1f dpo %.1f longdpo %.1f; S_q base %.1f dpo %.1f longdpo %.1f  (%s)%n",
          label, run.get("mode"), split, in.base().samples().size(), (int) run.get("eval_subjects"),
          (long) run.get("stepwise_pairs"), in.baseSha256().substring(0, Math.min(12, in.baseSha256().length())),
          in.base().scores().sl().get("avg"), in.dpo().scores().sl().get("avg"), in.longdpo().scores().sl().get("avg"),
          in.base().scores().sq().get("avg"), in.dpo().scores().sq().get("avg"), in.longdpo().scores().sq().get("avg"),
          runDir);
    }
    AcrossRuns base = new AcrossRuns(vsBase);
    AcrossRuns dpo = new AcrossRuns(vsDpo);
    out.println();
    base.print(out);
    out.println();
    dpo.print(out);
    if (json != null) {
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("runs", described);
      root.put("comparisons", List.of(base.asMap(), dpo.asMap()));
      AtomicFile.writeString(json, JSON.writeValueAsString(root));
      spec.commandLine().getErr().println("wrote " + json);
    }
    return ExitCodes.OK;
  }

  /** The run directory of {@code d}: a demo's {@code --out} holds it under runs/demo. */
  private static Path runDir(Path d) {
    if (!Files.isDirectory(d)) {
      throw new BadInputException(d + ": no such directory");
    }
    Path demo = DemoJob.runDir(d);
    return Files.isDirectory(demo) ? demo : d;
  }
}
