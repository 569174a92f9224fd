package dev.longdpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.longdpo.actors.evaluator.EvalSettings;
import dev.longdpo.testbed.TestbedSettings;
import dev.longdpo.testbed.demo.DemoSettings;
import dev.longdpo.testbed.task.WritingTask;
import dev.longdpo.testbed.world.Split;
import dev.longdpo.testbed.world.World;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the demo trains on and what it is evaluated on never meet: no evaluation prompt is a
 * training prompt, and no held-out subject is named in a training prompt (the search, both
 * trainers and the outcome baseline read only these prompts), in both modes and for several run
 * seeds, on either held-out split.
 */
class DemoSplitsTest {

  private static final Config DEFAULTS = ConfigFactory.load();

  @Test
  void noEvaluationPromptOrSubjectIsSeenInTraining() {
    for (boolean quick : new boolean[] {false, true}) {
      for (long seed : new long[] {1, 2, 3}) {
        DemoSettings mode = DemoSettings.create(DEFAULTS, quick);
        Config applied = mode.apply(DEFAULTS, seed);
        List<WritingTask> train = mode.trainTasks(DEFAULTS, seed);
        Set<String> trainPrompts = train.stream().map(WritingTask::prompt).collect(Collectors.toSet());
        for (Split heldOut : new Split[] {Split.VALIDATION, Split.TEST}) {
          String run = (quick ? "quick" : "default") + " seed " + seed + ", " + heldOut.label();
          List<WritingTask> eval = heldOutTasks(applied, heldOut);
          assertThat(eval).as(run).isNotEmpty();
          assertThat(eval).as(run).noneMatch(t -> trainPrompts.contains(t.prompt()));
          for (World.Subject s : World.get().subjects(heldOut)) {
            assertThat(train).as(run + ": a training prompt names " + s.name())
                .noneMatch(t -> t.prompt().contains(s.name()));
          }
          assertThat(eval).as(run).allMatch(t -> World.get().splitOf(t.topic().orElseThrow().subject()).equals(
              java.util.Optional.of(heldOut)));
        }
      }
    }
  }

  @Test
  void theDemoEvaluatesOnTheTestSplit() {
    assertThat(EvalSettings.create(DemoSettings.applied(DEFAULTS, false, 1)).split()).isEqualTo(Split.TEST);
    assertThat(EvalSettings.create(DemoSettings.applied(DEFAULTS, true, 1)).split()).isEqualTo(Split.TEST);
  }

  /** Other seeds and sizes draw other tasks, but from the same subjects: the split is the world's. */
  @Test
  void otherSettingsDoNotMoveTheSplits() {
    Config other = ConfigFactory.parseString("""
        longdpo.testbed.tasks { train-seed = 7, validation-seed = 8, test-seed = 9 }
        longdpo.testbed.corpus.documents = 10
        longdpo.eval { plain-tasks = 300, sectioned-tasks = 40 }
        """).withFallback(DEFAULTS);
    for (Split heldOut : new Split[] {Split.VALIDATION, Split.TEST}) {
      Set<String> subjects = heldOutTasks(other, heldOut).stream().map(t -> t.topic().orElseThrow().subject())
          .collect(Collectors.toSet());
      assertThat(subjects).isEqualTo(World.get().subjects(heldOut).stream().map(World.Subject::name)
          .collect(Collectors.toSet()));
    }
    assertThat(DemoSettings.create(other, false).trainTasks(other, 1))
        .allMatch(t -> World.get().splitOf(t.topic().orElseThrow().subject()).equals(java.util.Optional.of(Split.TRAIN)));
  }

  private static List<WritingTask> heldOutTasks(Config config, Split split) {
    return EvalSettings.create(config).withSplit(split).heldOutTasks(TestbedSettings.create(config));
  }
}
