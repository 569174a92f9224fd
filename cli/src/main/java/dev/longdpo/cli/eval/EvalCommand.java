package dev.longdpo.cli.eval;

import com.typesafe.config.Config;
import dev.longdpo.actors.evaluator.CheckpointEvaluation;
import dev.longdpo.actors.evaluator.EvalRecord;
import dev.longdpo.actors.evaluator.EvalSettings;
import dev.longdpo.cli.BadInputException;
import dev.longdpo.cli.EmbeddedDefault;
import dev.longdpo.cli.ExitCodes;
import dev.longdpo.cli.GlobalOptions;
import dev.longdpo.cli.Progress;
import dev.longdpo.cli.report.Comparison;
import dev.longdpo.cli.report.DifferenceTable;
import dev.longdpo.cli.report.ResultTable;
import dev.longdpo.testbed.TestbedSettings;
import dev.longdpo.testbed.task.LengthBuckets;
import dev.longdpo.testbed.task.TaskFile;
import dev.longdpo.testbed.task.WritingTask;
import dev.longdpo.testbed.world.World;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Evaluates checkpoints (or the base model) on the held-out tasks. */
@Command(
    mixinStandardHelpOptions = true,
    name = "eval",
    description = {
      "Evaluate checkpoints on held-out testbed tasks with the fixed decoding settings: S_l and S_q by",
      "length bucket, CR / STIC-1 / STIC-2 and the judge-free metrics. Writes OUT/<name>.json with every",
      "output and its scores, appends OUT/evaluations.jsonl, and prints the table; with several models,",
      "each one's differences from the first (--base first, then the checkpoints in order) with 95%%",
      "intervals that resample the tasks' subjects."
    })
public final class EvalCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  static final class Which {
    @Option(names = "--checkpoint", paramLabel = "<dir>", description = "A checkpoint directory (repeatable).")
    List<Path> checkpoints = new ArrayList<>();

    @Option(names = "--base", description = "Evaluate the embedded base model (pretrained first if missing).")
    boolean base;
  }

  @ArgGroup(exclusive = false, multiplicity = "1")
  Which which;

  @Option(names = "--tasks", paramLabel = "<file.jsonl>",
      description = "Evaluation tasks (default: the held-out testbed tasks of longdpo.eval and --split).")
  Path tasksFile;

  @Option(names = "--split", paramLabel = "<validation|test>",
      description = "The held-out split: validation (to choose settings on) or test (the reported tables); "
          + "default longdpo.eval.split (test).")
  String split;

  @Option(names = "--out", defaultValue = "eval", paramLabel = "<dir>", description = "Where records go (default ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() throws Exception {
    Config config = GlobalOptions.of(spec).config();
    EvalSettings settings = EvalSettings.create(config);
    if (split != null) {
      if (tasksFile != null) {
        throw new BadInputException("--split and --tasks: give one (a tasks file has no split)");
      }
      settings = settings.withSplit(EvalSettings.heldOutSplit(split).orElseThrow(
          () -> new BadInputException("--split: '" + split + "' is not validation or test")));
    }
    TestbedSettings testbed = TestbedSettings.create(config);
    List<WritingTask> tasks = tasksFile != null ? TaskFile.read(tasksFile) : settings.heldOutTasks(testbed);
    if (tasksFile == null) {
      spec.commandLine().getErr().println(settings.split().label() + " split: " + tasks.size() + " tasks about "
          + World.get().subjects(settings.split()).size() + " subjects (seed " + testbed.taskSeed(settings.split()) + ")");
    }
    CheckpointEvaluation evaluation = new CheckpointEvaluation(tasks, LengthBuckets.TESTBED, settings, out);
    List<EvalRecord> records = new ArrayList<>();
    try (Progress progress = new Progress(spec.commandLine().getErr())) {
      List<CheckpointEvaluation.Target> targets = new ArrayList<>();
      java.util.Set<String> names = new java.util.HashSet<>(java.util.Set.of("base"));
      if (which.base) {
        targets.add(new CheckpointEvaluation.Target("base", "base", EmbeddedDefault.baseModel(config, progress), 0, 0, true));
      }
      for (Path c : which.checkpoints) {
        String dirName = c.toAbsolutePath().normalize().getFileName().toString();
        // Two runs' checkpoints can share a directory name (longdpo-step-212): each record needs its own file.
        String name = dirName;
        for (int n = 2; names.contains(name); n++) {
          name = dirName + "-" + n;
        }
        names.add(name);
        targets.add(new CheckpointEvaluation.Target(name, dirName, c, 0, 0, true));
      }
      for (CheckpointEvaluation.Target t : targets) {
        progress.phase("eval " + t.checkpoint(), tasks.size());
        records.add(evaluation.evaluate(t, done -> progress.progress(done, "")));
        progress.close();
      }
    }
    new ResultTable(LengthBuckets.TESTBED, records).print(spec.commandLine().getOut());
    if (records.size() > 1) {
      List<Comparison> comparisons = new ArrayList<>();
      EvalRecord first = records.get(0);
      for (EvalRecord r : records.subList(1, records.size())) {
        comparisons.add(Comparison.of(r.checkpoint(), r, first.checkpoint(), first));
      }
      spec.commandLine().getOut().println();
      new DifferenceTable(comparisons).print(spec.commandLine().getOut());
    }
    spec.commandLine().getErr().println("records in " + out.toAbsolutePath());
    return ExitCodes.OK;
  }
}
