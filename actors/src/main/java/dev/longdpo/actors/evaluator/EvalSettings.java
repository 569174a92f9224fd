package dev.longdpo.actors.evaluator;

import com.typesafe.config.Config;
import dev.longdpo.config.Validate;
import dev.longdpo.testbed.TestbedSettings;
import dev.longdpo.testbed.task.WritingTask;
import dev.longdpo.testbed.world.Split;
import java.util.List;
import java.util.Optional;

/**
 * How checkpoints are evaluated, read once from {@code longdpo.eval} (meanings in reference.conf).
 *
 * @param plainTasks held-out plain writing tasks (spread over the length buckets)
 * @param sectionedTasks held-out sectioned tasks (CR, STIC-1, STIC-2)
 * @param split whose subjects and seed the held-out tasks come from: validation or test
 * @param seed the decoding seed: with each task's id it seeds that task's sampler, for every row
 * @param batchSize sequences decoded together
 * @param threads batches decoded at once, each on its own thread with its own copy of the model
 */
public record EvalSettings(int plainTasks, int sectionedTasks, Split split, long seed, int batchSize, int threads) {

  /** Reads and validates {@code longdpo.eval}. */
  public static EvalSettings create(Config c) {
    String p = "longdpo.eval.";
    return new EvalSettings(
        Validate.intInRange(c, p + "plain-tasks", 0, 100_000),
        Validate.intInRange(c, p + "sectioned-tasks", 0, 100_000),
        heldOutSplit(c, p + "split"),
        c.getLong(p + "seed"),
        Validate.intInRange(c, p + "batch-size", 1, 1024),
        Validate.intInRange(c, p + "threads", 1, 64));
  }

  /** These settings on another split's tasks. */
  public EvalSettings withSplit(Split other) {
    return new EvalSettings(plainTasks, sectionedTasks, other, seed, batchSize, threads);
  }

  /**
   * The held-out tasks: from the split's seed, about the split's subjects, so never a training
   * prompt nor a subject the search wrote about.
   */
  public List<WritingTask> heldOutTasks(TestbedSettings testbed) {
    return testbed.tasks(split).generate(plainTasks, sectionedTasks);
  }

  /** The held-out split a label names: validation or test, never train. */
  public static Optional<Split> heldOutSplit(String label) {
    return label.equals(Split.VALIDATION.label()) || label.equals(Split.TEST.label())
        ? Optional.of(Split.parse(label)) : Optional.empty();
  }

  private static Split heldOutSplit(Config c, String key) {
    return heldOutSplit(c.getString(key)).orElseThrow(
        () -> Validate.bad(c, key, "validation or test (training subjects are never evaluated on)"));
  }
}
