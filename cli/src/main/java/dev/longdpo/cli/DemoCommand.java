package dev.longdpo.cli;

import com.typesafe.config.Config;
import dev.longdpo.cli.demo.DemoJob;
import dev.longdpo.cli.demo.DemoReport;
import dev.longdpo.cli.demo.DemoSettings;
import dev.longdpo.cli.demo.DemoStatus;
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
      "Run LongDPO end to end on the embedded testbed, in one JVM: pretrain (or reuse) the tiny base,",
      "search stepwise pairs while a gpu-worker trains on them, train the outcome-DPO baseline on as",
      "many tokens, evaluate base, +DPO and +LongDPO on held-out tasks, and print the table.",
      "Writes report.html, report.json, plots, every checkpoint, pair and evaluation into --out."
    })
public final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--out", paramLabel = "<dir>", description = "Where everything goes (default runs/demo-<timestamp>).")
  Path out;

  @Option(names = "--quick", description = "A smaller run: within 3 minutes once the base model is cached.")
  boolean quick;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "<n>",
      description = "Seeds the training prompts, the search and the evaluation's decoding (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    Config base = GlobalOptions.of(spec).config();
    DemoSettings mode = DemoSettings.create(base, quick);
    Config config = mode.apply(base, seed);
    Path dir = out != null ? out
        : Path.of("runs", "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    if (Files.exists(dir.resolve("report.json"))) {
      throw new BadInputException(dir + ": holds a finished demo (report.json); choose another --out");
    }
    Files.createDirectories(dir);
    var err = spec.commandLine().getErr();
    err.println("longdpo demo (" + (quick ? "quick" : "full") + ", seed " + seed + ") into " + dir.toAbsolutePath());
    try (DemoStatus status = new DemoStatus(err, 10); Progress pretrain = new Progress(err)) {
      DemoJob.Outcome o = new DemoJob(config, mode, seed, dir, status).run(pretrain);
      try {
        DemoReport.write(dir, o, mode, seed, quick, spec.commandLine().getOut());
      } finally {
        o.trainingLog().close();
      }
    }
    return ExitCodes.OK;
  }
}
