package dev.longdpo.actors.backend;

import com.typesafe.config.Config;
import dev.longdpo.actors.evaluator.EvalSettings;
import dev.longdpo.config.files.AtomicFile;
import dev.longdpo.protocol.search.TaskSpec;
import dev.longdpo.testbed.TestbedSettings;
import dev.longdpo.testbed.demo.DemoSettings;
import dev.longdpo.testbed.task.TaskFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a run's tasks come from, as task specs: a prompt file in LongBench-Write's shape (testbed
 * tasks add their topic and sections), or the embedded testbed's generated tasks. The run manager
 * reads and writes tasks only through here, so it needs no testbed types.
 */
public final class TestbedTasks {

  private TestbedTasks() {}

  /** A prompt file's tasks; a bad line fails the file, naming it and the line. */
  public static List<TaskSpec> read(Path file) {
    return TaskFile.read(file).stream().map(TaskSpecs::of).toList();
  }

  /** Writes tasks as a prompt file (atomically), each spec's JSON on its own line. */
  public static void write(Path file, List<TaskSpec> tasks) throws IOException {
    AtomicFile.writeString(file, TaskSpec.jsonLines(tasks));
  }

  /** The node's settings with the demo's mode and seed applied (its search, training and evaluation). */
  public static Config demoSettings(Config nodeConfig, boolean quick, long seed) {
    return DemoSettings.applied(nodeConfig, quick, seed);
  }

  /** The demo's training prompts: the mode's mix on the training split, shifted by the demo's seed. */
  public static List<TaskSpec> demoTraining(Config config, boolean quick, long seed) {
    return DemoSettings.create(config, quick).trainTasks(config, seed).stream().map(TaskSpecs::of).toList();
  }

  /** The evaluator's held-out tasks ({@code longdpo.eval}: its split, seed and sizes). */
  public static List<TaskSpec> heldOut(Config config) {
    return EvalSettings.create(config).heldOutTasks(TestbedSettings.create(config)).stream().map(TaskSpecs::of)
        .toList();
  }
}
