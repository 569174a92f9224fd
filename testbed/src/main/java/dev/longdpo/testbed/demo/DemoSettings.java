package dev.longdpo.testbed.demo;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.longdpo.config.Validate;
import dev.longdpo.testbed.TestbedSettings;
import dev.longdpo.testbed.task.TaskGenerator;
import dev.longdpo.testbed.task.WritingTask;
import dev.longdpo.testbed.world.Split;
import java.util.List;
import java.util.Map;

/**
 * One size of the demo's job, read from {@code longdpo.demo.full} or {@code longdpo.demo.quick}:
 * what {@code longdpo demo} and {@code ctl submit --testbed} both run.
 *
 * @param trainPrompts plain training prompts per length bucket, shortest first
 * @param trainSectioned sectioned training prompts
 * @param searchK candidates per expansion (K)
 * @param searchRollouts rollouts per committed step (R)
 * @param trainEpochs passes over the pairs
 * @param checkpointEvery steps between checkpoints (each is evaluated)
 * @param critiqueThreshold the search's critique threshold (eta) for the demo
 * @param evalPlainTasks held-out plain tasks the evaluator scores
 * @param evalSectionedTasks held-out sectioned tasks the evaluator scores
 */
public record DemoSettings(
    int[] trainPrompts, int trainSectioned, int searchK, int searchRollouts, int trainEpochs, int checkpointEvery,
    double critiqueThreshold, int evalPlainTasks, int evalSectionedTasks) {

  /** Reads the mode's block. */
  public static DemoSettings create(Config c, boolean quick) {
    String p = "longdpo.demo." + (quick ? "quick" : "full") + ".";
    List<Integer> perBucket = c.getIntList(p + "train-prompts");
    if (perBucket.size() != 4) {
      throw Validate.bad(c, p + "train-prompts", "four counts, one per length bucket");
    }
    return new DemoSettings(
        perBucket.stream().mapToInt(Integer::intValue).toArray(),
        Validate.intInRange(c, p + "train-sectioned", 0, 100_000),
        Validate.intInRange(c, p + "search-k", 2, 64),
        Validate.intInRange(c, p + "search-rollouts", 4, 1024),
        Validate.intInRange(c, p + "train-epochs", 1, 100),
        Validate.positiveInt(c, p + "checkpoint-every"),
        Validate.doubleInRange(c, "longdpo.demo.critique-threshold", 0, 5),
        Validate.intInRange(c, p + "eval-plain-tasks", 4, 100_000),
        Validate.intInRange(c, p + "eval-sectioned-tasks", 0, 100_000));
  }

  /** {@code config} with this mode's search and training settings and the run's seed applied. */
  public Config apply(Config config, long seed) {
    return ConfigFactory.parseMap(Map.of(
            "longdpo.search.k", searchK,
            "longdpo.search.rollouts", searchRollouts,
            "longdpo.search.seed", seed,
            "longdpo.search.critique.threshold", critiqueThreshold,
            "longdpo.train.epochs", trainEpochs,
            "longdpo.train.checkpoint-every", checkpointEvery,
            "longdpo.eval.seed", config.getLong("longdpo.eval.seed") + seed - 1,
            "longdpo.eval.plain-tasks", evalPlainTasks,
            "longdpo.eval.sectioned-tasks", evalSectionedTasks,
            "longdpo.outcome.seed", seed), "the demo's mode")
        .withFallback(config);
  }

  /** Reads the mode, {@code quick} or not, and applies it and {@code seed} to {@code config}. */
  public static Config applied(Config config, boolean quick, long seed) {
    return create(config, quick).apply(config, seed);
  }

  /**
   * The job's training prompts: the mode's mix from the testbed's training seed, shifted by the
   * demo's seed (seed 1 is the training seed itself), about train subjects only.
   */
  public List<WritingTask> trainTasks(Config config, long seed) {
    return new TaskGenerator(TestbedSettings.create(config).trainSeed() + 1000L * (seed - 1), Split.TRAIN)
        .generateMix(trainPrompts, trainSectioned);
  }

  /** The number of training prompts. */
  public int prompts() {
    int n = trainSectioned;
    for (int b : trainPrompts) {
      n += b;
    }
    return n;
  }
}
