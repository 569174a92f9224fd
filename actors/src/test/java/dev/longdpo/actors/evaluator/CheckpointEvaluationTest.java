package dev.longdpo.actors.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longdpo.testbed.TestbedModels;
import dev.longdpo.testbed.metrics.Sample;
import dev.longdpo.testbed.task.LengthBuckets;
import dev.longdpo.testbed.task.TaskGenerator;
import dev.longdpo.testbed.task.WritingTask;
import dev.longdpo.testbed.world.Split;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decoding batches on several threads changes how fast an evaluation runs, not what it says. */
class CheckpointEvaluationTest {

  @TempDir Path dir;

  @Test
  void theAnswersDoNotDependOnHowManyThreadsDecode() throws Exception {
    Path model = TestbedModels.saved(dir.resolve("ck"), 4);
    // Five tasks in batches of two: three threads take all three batches in one call, the last
    // of them short.
    List<WritingTask> tasks = new TaskGenerator(5).generate(4, 1);
    CheckpointEvaluation.Target target = new CheckpointEvaluation.Target("ck", "v", model, 1, 1, true);

    EvalRecord one = evaluation(tasks, 1, "one").evaluate(target, done -> {});
    List<Integer> progress = new java.util.ArrayList<>();
    EvalRecord three = evaluation(tasks, 3, "three").evaluate(target, progress::add);

    assertThat(progress).containsExactly(5);
    assertThat(three.samples()).extracting(s -> s.task().id())
        .containsExactlyElementsOf(tasks.stream().map(WritingTask::id).toList());
    assertThat(three.samples()).extracting(Sample::output)
        .containsExactlyElementsOf(one.samples().stream().map(Sample::output).toList());
    assertThat(three.scores()).isEqualTo(one.scores());
  }

  private CheckpointEvaluation evaluation(List<WritingTask> tasks, int threads, String name) {
    return new CheckpointEvaluation(tasks, LengthBuckets.TESTBED, new EvalSettings(4, 1, Split.TEST, 3, 2, threads), dir.resolve(name));
  }
}
