package dev.longdpo.actors.evaluator;

import com.typesafe.config.Config;
import dev.longdpo.config.Validate;
import dev.longdpo.testbed.task.TaskGenerator;
import dev.longdpo.testbed.task.WritingTask;
import java.util.List;

/**
 * How checkpoints are evaluated, read once from {@code longdpo.eval} (meanings in reference.conf).
 *
 * @param plainTasks held-out plain writing tasks (spread over the length buckets)
 * @param sectionedTasks held-out sectioned tasks (CR, STIC-1, STIC-2)
 * @param seed the decoding seed: with each task's id it seeds that task's sampler, for every row
 * @param batchSize sequences decoded together
 * @param threads batches decoded at once, each on its own thread with its own copy of the model
 */
public record EvalSettings(int plainTasks, int sectionedTasks, long seed, int batchSize, int threads) {

  /** Reads and validates {@code longdpo.eval}. */
  public static EvalSettings create(Config c) {
    String p = "longdpo.eval.";
    return new EvalSettings(
        Validate.intInRange(c, p + "plain-tasks", 0, 100_000),
        Validate.intInRange(c, p + "sectioned-tasks", 0, 100_000),
        c.getLong(p + "seed"),
        Validate.intInRange(c, p + "batch-size", 1, 1024),
        Validate.intInRange(c, p + "threads", 1, 64));
  }

  /** The held-out tasks: generated from the testbed's eval seed, never seen by the search. */
  public List<WritingTask> heldOutTasks(long evalSeed) {
    return new TaskGenerator(evalSeed).generate(plainTasks, sectionedTasks);
  }
}
