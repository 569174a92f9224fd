package dev.longdpo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.longdpo.actors.evaluator.EvalSettings;
import dev.longdpo.testbed.demo.DemoSettings;
import dev.longdpo.testbed.TestbedSettings;
import dev.longdpo.testbed.task.LengthBuckets;
import dev.longdpo.testbed.task.TaskGenerator;
import dev.longdpo.testbed.task.WritingTask;
import dev.longdpo.testbed.world.Split;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The demo's two modes are what the README promises (its table under "The demo", and the held-out
 * task counts in step 4): a drift in {@code longdpo.demo} that the README does not follow fails
 * here. Prompt and task counts are checked on the tasks the demo generates from the settings, as
 * {@code DemoJob} does, so a mix read in the wrong bucket order fails too.
 */
class DemoSettingsTest {

  private static final Config DEFAULTS = ConfigFactory.load();

  /** README, seed 1 of the default mode: the search's pairs from 300 prompts ("149 of 1690"). */
  private static final int PAIRS_OF_300_PROMPTS = 1690;

  @Test
  void theDefaultModeIsTheReadmesThreeHundredPromptsTwiceWithKFourAndREight() {
    DemoSettings full = DemoSettings.create(DEFAULTS, false);
    Config applied = full.apply(DEFAULTS, 1);

    // "96 / 72 / 48 / 36 + 48 = 300, two epochs | 4 | 8"
    assertThat(promptsByBucket(full)).containsExactly(
        Map.entry("0-50", 96L), Map.entry("50-200", 72L), Map.entry("200-400", 48L), Map.entry("400-600", 36L),
        Map.entry("sectioned", 48L));
    assertThat(full.prompts()).isEqualTo(96 + 72 + 48 + 36 + 48).isEqualTo(300);
    assertThat(applied.getInt("longdpo.train.epochs")).isEqualTo(2);
    assertThat(applied.getInt("longdpo.search.k")).isEqualTo(4);
    assertThat(applied.getInt("longdpo.search.rollouts")).isEqualTo(8);
    // "scores the base once and every checkpoint ... on 640 held-out tasks"
    assertThat(heldOutTasks(applied)).isEqualTo(640);
    // "The default mode writes only the final checkpoints": two epochs of 1690 pairs at
    // batch-pairs a step (424 steps at 8) stay below the interval.
    int steps = PAIRS_OF_300_PROMPTS * full.trainEpochs() / applied.getInt("longdpo.train.batch-pairs");
    assertThat(applied.getInt("longdpo.train.checkpoint-every")).isGreaterThan(steps);
  }

  @Test
  void quickModeIsTheReadmesFiftyPromptsTwiceWithKFourAndRFour() {
    DemoSettings full = DemoSettings.create(DEFAULTS, false);
    DemoSettings quick = DemoSettings.create(DEFAULTS, true);
    Config applied = quick.apply(DEFAULTS, 1);

    // "16 / 12 / 8 / 6 + 8 = 50, two epochs | 4 | 4": the default's mix at a sixth of its size,
    // so both modes weigh the buckets alike.
    assertThat(promptsByBucket(quick)).containsExactly(
        Map.entry("0-50", 96L / 6), Map.entry("50-200", 72L / 6), Map.entry("200-400", 48L / 6),
        Map.entry("400-600", 36L / 6), Map.entry("sectioned", 48L / 6));
    assertThat(quick.prompts() * 6).isEqualTo(full.prompts());
    assertThat(quick.prompts()).isEqualTo(50);
    assertThat(applied.getInt("longdpo.train.epochs")).isEqualTo(2);
    assertThat(applied.getInt("longdpo.search.k")).isEqualTo(4);
    // The floors the demo's issue allows: K >= 2, R >= 4.
    assertThat(applied.getInt("longdpo.search.rollouts")).isEqualTo(4);
    // "(160 with --quick)"
    assertThat(heldOutTasks(applied)).isEqualTo(160);
    // "--quick checkpoints and evaluates every 20 steps"
    assertThat(applied.getInt("longdpo.train.checkpoint-every")).isEqualTo(20);
  }

  @Test
  void bothModesHoldOutTheSameMixOfPlainAndSectionedTasks() {
    // Quick's held-out set is the default's at a quarter of its size (160 of 640), with the same
    // share of sectioned tasks, so CR / STIC and the S_l / S_q buckets read alike in both modes.
    EvalSettings full = EvalSettings.create(DemoSettings.create(DEFAULTS, false).apply(DEFAULTS, 1));
    EvalSettings quick = EvalSettings.create(DemoSettings.create(DEFAULTS, true).apply(DEFAULTS, 1));

    assertThat(quick.plainTasks() * 4).isEqualTo(full.plainTasks());
    assertThat(quick.sectionedTasks() * 4).isEqualTo(full.sectionedTasks());
  }

  @Test
  void theRunSeedMovesTheSeedsAndSeedOneKeepsTheConfiguredEvalSeed() {
    long configured = DEFAULTS.getLong("longdpo.eval.seed");
    DemoSettings full = DemoSettings.create(DEFAULTS, false);

    assertThat(full.apply(DEFAULTS, 1).getLong("longdpo.eval.seed")).isEqualTo(configured);
    assertThat(full.apply(DEFAULTS, 3).getLong("longdpo.eval.seed")).isEqualTo(configured + 2);
    assertThat(full.apply(DEFAULTS, 3).getLong("longdpo.search.seed")).isEqualTo(3);
    // Seed 1 trains on the testbed's training seed itself; another seed on prompts of its own.
    assertThat(full.trainTasks(DEFAULTS, 1)).isEqualTo(new TaskGenerator(TestbedSettings.create(DEFAULTS).trainSeed(),
        Split.TRAIN).generateMix(full.trainPrompts(), full.trainSectioned()));
    assertThat(full.trainTasks(DEFAULTS, 3).get(0).prompt()).isNotEqualTo(full.trainTasks(DEFAULTS, 1).get(0).prompt());
  }

  @Test
  void aModeWithTooFewEvaluationTasksIsRefusedByKey() {
    Config bad = ConfigFactory.parseString("longdpo.demo.quick.eval-plain-tasks = 2").withFallback(DEFAULTS);
    assertThatThrownBy(() -> DemoSettings.create(bad, true))
        .hasMessageContaining("longdpo.demo.quick.eval-plain-tasks = 2")
        .hasMessageContaining("[4, 100000]");
  }

  /** The training prompts the demo generates for {@code mode}, counted by the evaluator's buckets. */
  private static Map<String, Long> promptsByBucket(DemoSettings mode) {
    Function<WritingTask, String> bucket =
        t -> t.isSectioned() ? "sectioned" : LengthBuckets.TESTBED.labelOf(t.length());
    return mode.trainTasks(DEFAULTS, 1).stream()
        .collect(Collectors.groupingBy(bucket, LinkedHashMap::new, Collectors.counting()));
  }

  /** The held-out tasks the evaluator scores each model on under {@code config}. */
  private static int heldOutTasks(Config config) {
    return EvalSettings.create(config).heldOutTasks(TestbedSettings.create(config)).size();
  }
}
