package dev.longdpo.cli;

import com.typesafe.config.Config;
import dev.longdpo.cli.demo.DemoJob;
import dev.longdpo.cli.demo.DemoStatus;
import dev.longdpo.cli.report.RunReport;
import dev.longdpo.actors.evaluator.EvalSettings;
import dev.longdpo.model.runtime.ProcessMemory;
import dev.longdpo.coordinator.outcome.OutcomeSettings;
import dev.longdpo.coordinator.search.SearchSettings;
import dev.longdpo.gpuworker.dpo.DpoSettings;
import dev.longdpo.testbed.TestbedSettings;
import dev.longdpo.testbed.demo.DemoSettings;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The main job: LongDPO end to end on the embedded testbed, against the base and outcome DPO. */
@Command(
    mixinStandardHelpOptions = true,
    name = "demo",
    description = {
      "Run LongDPO end to end on the embedded testbed, on a cluster of one node in this JVM (the job",
      "`ctl submit --testbed` runs on a cluster): pretrain (or reuse) the tiny base, search stepwise",
      "pairs while a trainer trains on them, train the outcome-DPO baseline on as many tokens, evaluate",
      "base, +DPO and +LongDPO on held-out tasks, and print the table. --out is the node's run root: the",
      "run, its report, checkpoints, pairs and evaluations are in --out/runs/demo/, the node's log in",
      "--out/nodes/. Started again on an --out whose run did not finish, it goes on from its files."
    })
public final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--out", paramLabel = "<dir>", description = "The run root everything goes under (default runs/demo-<timestamp>).")
  Path out;

  @Option(names = "--quick", description = "A smaller run: within 3 minutes once the base model is cached.")
  boolean quick;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "<n>",
      description = "Seeds the training prompts, the search and the evaluation's decoding (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    Config config = GlobalOptions.of(spec).config();
    if (seed < 1) {
      throw new BadInputException("--seed: 1 or more, got " + seed);
    }
    // Every setting the job reads, checked before anything starts (the node reads them later).
    Config applied = DemoSettings.applied(config, quick, seed);
    TestbedSettings.create(applied);
    SearchSettings.create(applied);
    DpoSettings.create(applied);
    EvalSettings.create(applied);
    OutcomeSettings.create(applied);
    Path dir = out != null ? out
        : Path.of("runs", "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Path report = DemoJob.runDir(dir).resolve(RunReport.TEXT);
    if (Files.exists(report)) {
      throw new BadInputException(dir + ": holds a finished demo (" + report + "); choose another --out");
    }
    Files.createDirectories(dir);
    var err = spec.commandLine().getErr();
    err.println("longdpo demo (" + (quick ? "quick" : "full") + ", seed " + seed + ") into " + dir.toAbsolutePath());
    DemoStatus status = new DemoStatus(err, 10);
    Path run = new DemoJob(config, quick, seed, dir, status).run();
    PrintWriter w = spec.commandLine().getOut();
    w.println();
    w.print(Files.readString(run.resolve(RunReport.TEXT)));
    w.println();
    w.printf(java.util.Locale.ROOT, "report: %s (also report.json, eval.png, training.png, eval/, train/, checkpoints/); "
        + "%.0f s in all, peak resident memory %.2f GiB%n", run.resolve("report.html"), status.seconds(),
        ProcessMemory.peakResidentBytes() / (1L << 30));
    w.flush();
    return ExitCodes.OK;
  }
}
