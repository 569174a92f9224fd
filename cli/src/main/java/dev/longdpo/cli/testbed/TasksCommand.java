package dev.longdpo.cli.testbed;

import dev.longdpo.cli.BadInputException;
import dev.longdpo.cli.ExitCodes;
import dev.longdpo.cli.GlobalOptions;
import dev.longdpo.testbed.TestbedSettings;
import dev.longdpo.testbed.task.TaskFile;
import dev.longdpo.testbed.task.TaskGenerator;
import dev.longdpo.testbed.task.WritingTask;
import dev.longdpo.testbed.world.Split;
import dev.longdpo.testbed.world.World;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Writes seeded testbed tasks as a JSONL prompts file. */
@Command(
    mixinStandardHelpOptions = true,
    name = "tasks",
    description = {
      "Write seeded testbed tasks (LongBench-Write JSONL with topic and sections) to a file.",
      "Plain tasks cycle through the four length buckets; sectioned tasks follow them. Each split has",
      "its own seed and its own subjects of the world (train, validation, test)."
    })
public final class TasksCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--split", defaultValue = "train", paramLabel = "<train|validation|test>",
      description = "Whose subjects and seed: train (the search's prompts), validation or test (default ${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--seed", paramLabel = "<n>", description = "An explicit seed instead of the split's (same subjects).")
  Long seed;

  @Option(names = "--plain", defaultValue = "16", paramLabel = "<n>", description = "Plain writing tasks (default ${DEFAULT-VALUE}).")
  int plain;

  @Option(names = "--sectioned", defaultValue = "4", paramLabel = "<n>", description = "Sectioned tasks (default ${DEFAULT-VALUE}).")
  int sectioned;

  @Option(names = "--out", required = true, paramLabel = "<file.jsonl>", description = "Where to write (atomically).")
  Path out;

  @Override
  public Integer call() throws Exception {
    TestbedSettings s = TestbedSettings.create(GlobalOptions.of(spec).config());
    Split chosenSplit;
    try {
      chosenSplit = Split.parse(split);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("--split: " + e.getMessage());
    }
    long chosen = seed != null ? seed : s.taskSeed(chosenSplit);
    List<WritingTask> tasks = new TaskGenerator(chosen, chosenSplit).generate(plain, sectioned);
    TaskFile.write(out, tasks);
    spec.commandLine().getOut().println("wrote " + tasks.size() + " " + chosenSplit.label() + " tasks (seed " + chosen
        + ", " + World.get().subjects(chosenSplit).size() + " subjects) to " + out);
    return ExitCodes.OK;
  }
}
