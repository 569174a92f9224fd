package dev.longdpo.actors.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.longdpo.actors.ActorsSettings;
import dev.longdpo.protocol.training.CheckpointWritten;
import dev.longdpo.protocol.training.EvaluatorProtocol;
import dev.longdpo.testbed.TestbedModels;
import dev.longdpo.testbed.task.LengthBuckets;
import dev.longdpo.testbed.task.TaskGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluator scores the base first, then announced checkpoints, never loses a final one, and
 * gives up intermediate ones nobody waits for.
 */
class EvaluatorTest {

  static ActorTestKit kit;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create("evaluator", ConfigFactory.load());
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @TempDir Path dir;

  @Test
  void evaluatesBaseThenCheckpointsSkippingStaleOnesAndWritesRecords() throws Exception {
    Path base = TestbedModels.saved(dir.resolve("base"), 1);
    Path a = TestbedModels.saved(dir.resolve("ck-a"), 2);
    Path broken = dir.resolve("ck-broken");
    Files.createDirectories(broken);
    Files.copy(a.resolve("config.json"), broken.resolve("config.json"));
    var tasks = new TaskGenerator(5).generate(4, 1);
    EvalSettings settings = new EvalSettings(4, 1, 3, 4, 2);
    CheckpointEvaluation evaluation = new CheckpointEvaluation(tasks, LengthBuckets.TESTBED, settings, dir.resolve("eval"));
    List<String> evaluated = Collections.synchronizedList(new ArrayList<>());
    List<String> failed = Collections.synchronizedList(new ArrayList<>());
    EvalListener listener = new EvalListener() {
      @Override
      public void evaluated(EvalRecord r) {
        evaluated.add(r.checkpoint());
      }

      @Override
      public void failed(CheckpointEvaluation.Target t, Exception e) {
        failed.add(t.checkpoint() + ": " + e.getMessage());
      }
    };
    ActorRef<EvaluatorProtocol.Command> evaluator = kit.spawn(Evaluator.create(evaluation, Optional.of(base), listener),
        "evaluator", DispatcherSelector.fromConfig(ActorsSettings.BLOCKING_DISPATCHER));
    // Announced while the base is being evaluated: step 10 is stale once step 20 waits; the
    // final checkpoint and the broken one are always tried.
    evaluator.tell(new CheckpointWritten("v", "v-step-10", a.toString(), 10, 100, 5, false));
    evaluator.tell(new CheckpointWritten("v", "v-step-20", a.toString(), 20, 200, 9, false));
    evaluator.tell(new CheckpointWritten("w", "w-broken", broken.toString(), 5, 50, 2, false));
    evaluator.tell(new CheckpointWritten("v", "v-step-25", a.toString(), 25, 250, 10, true));
    var idle = kit.<EvaluatorProtocol.Idle>createTestProbe();
    evaluator.tell(new EvaluatorProtocol.WhenIdle(idle.getRef()));
    EvaluatorProtocol.Idle done = idle.receiveMessage(java.time.Duration.ofMinutes(2));

    assertThat(evaluated).containsExactly("base", "v-step-25");
    assertThat(done.skipped()).isEqualTo(2);
    assertThat(failed).singleElement().asString().contains("tokenizer.json");
    JsonNode record = new ObjectMapper().readTree(Files.readString(dir.resolve("eval/v-step-25.json")));
    assertThat(record.path("step").asLong()).isEqualTo(25);
    assertThat(record.path("samples")).hasSize(5);
    JsonNode sample = record.path("samples").get(0);
    for (String field : List.of("task_id", "bucket", "required_length", "output", "output_words", "S_l")) {
      assertThat(sample.has(field)).as(field).isTrue();
    }
    assertThat(record.path("scores").path("S_l").has("avg")).isTrue();
    assertThat(Files.readAllLines(dir.resolve("eval").resolve(CheckpointEvaluation.LOG))).hasSize(2);
  }

  @Test
  void givesUpAnIntermediateCheckpointWhenItsVariantsLastOneArrives() throws Exception {
    Path a = TestbedModels.saved(dir.resolve("ck-a"), 2);
    // Five tasks in batches of four on one thread: the evaluation of a checkpoint takes two calls.
    var tasks = new TaskGenerator(5).generate(4, 1);
    CheckpointEvaluation evaluation =
        new CheckpointEvaluation(tasks, LengthBuckets.TESTBED, new EvalSettings(4, 1, 3, 4, 1), dir.resolve("eval"));
    AtomicReference<ActorRef<EvaluatorProtocol.Command>> evaluatorRef = new AtomicReference<>();
    List<String> evaluated = Collections.synchronizedList(new ArrayList<>());
    EvalListener listener = new EvalListener() {
      @Override
      public void progress(CheckpointEvaluation.Target t, int done) {
        if (t.checkpoint().equals("v-step-10") && done < tasks.size()) {
          // The variant's training ends while step 10 is half evaluated.
          evaluatorRef.get().tell(new CheckpointWritten("v", "v-step-20", a.toString(), 20, 200, 9, true));
        }
      }

      @Override
      public void evaluated(EvalRecord r) {
        evaluated.add(r.checkpoint());
      }
    };
    ActorRef<EvaluatorProtocol.Command> evaluator = kit.spawn(Evaluator.create(evaluation, Optional.empty(), listener),
        "evaluator-gives-up", DispatcherSelector.fromConfig(ActorsSettings.BLOCKING_DISPATCHER));
    evaluatorRef.set(evaluator);
    evaluator.tell(new CheckpointWritten("v", "v-step-10", a.toString(), 10, 100, 5, false));
    var idle = kit.<EvaluatorProtocol.Idle>createTestProbe();
    evaluator.tell(new EvaluatorProtocol.WhenIdle(idle.getRef()));
    EvaluatorProtocol.Idle done = idle.receiveMessage(java.time.Duration.ofMinutes(2));

    assertThat(evaluated).containsExactly("v-step-20");
    assertThat(done.evaluated()).isEqualTo(1);
    assertThat(done.skipped()).isEqualTo(1);
    assertThat(dir.resolve("eval/v-step-10.json")).doesNotExist();
    assertThat(Files.readAllLines(dir.resolve("eval").resolve(CheckpointEvaluation.LOG))).hasSize(1);
  }
}
