package dev.longdpo.actors.evaluator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.longdpo.actors.ActorsSettings;
import dev.longdpo.protocol.training.CheckpointWritten;
import dev.longdpo.protocol.training.EvaluatorProtocol;
import dev.longdpo.testbed.TestbedModels;
import dev.longdpo.testbed.task.LengthBuckets;
import dev.longdpo.testbed.task.TaskGenerator;
import dev.longdpo.testbed.task.WritingTask;
import dev.longdpo.testbed.world.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
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
    // Four plain tasks, one per length bucket, and a sectioned one.
    var tasks = new TaskGenerator(5).generate(4, 1);
    EvalSettings settings = new EvalSettings(4, 1, Split.TEST, 3, 4, 2);
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
    assertThat(record.path("checkpoint").asText()).isEqualTo("v-step-25");
    assertThat(record.path("model").asText()).isEqualTo("v");
    assertThat(record.path("step").asLong()).isEqualTo(25);
    assertThat(record.path("trained_tokens").asLong()).isEqualTo(250);
    assertThat(record.path("last").asBoolean()).isTrue();
    assertScoresFollowFromTheSamples(record, tasks);
    JsonNode baseRecord = new ObjectMapper().readTree(Files.readString(dir.resolve("eval/base.json")));
    assertThat(baseRecord.path("model").asText()).isEqualTo("base");
    assertThat(baseRecord.path("step").asLong()).isZero();
    assertScoresFollowFromTheSamples(baseRecord, tasks);
    // The log has a line per evaluated model, in order, with the record's scores.
    List<String> log = Files.readAllLines(dir.resolve("eval").resolve(CheckpointEvaluation.LOG));
    assertThat(log).hasSize(2);
    assertThat(EvalRecord.parse(log.get(0)).path("checkpoint").asText()).isEqualTo("base");
    assertThat(EvalRecord.parse(log.get(1)).path("scores")).isEqualTo(record.path("scores"));
  }

  /**
   * Recomputes a record's scores from its samples, independently of the scoring code: each
   * sample's bucket from its required length, its words as runs of letters, LongWriter's S_l
   * (method.md §4), then per bucket the mean and over the buckets the unweighted mean, sectioned
   * tasks left out.
   */
  private static void assertScoresFollowFromTheSamples(JsonNode record, List<WritingTask> tasks) {
    JsonNode samples = record.path("samples");
    assertThat(samples).hasSize(tasks.size());
    Map<String, List<Double>> slByBucket = new TreeMap<>();
    Map<String, List<Double>> sqByBucket = new TreeMap<>();
    for (int i = 0; i < tasks.size(); i++) {
      WritingTask task = tasks.get(i);
      JsonNode s = samples.get(i);
      String output = s.path("output").asText();
      int words = (int) Pattern.compile("[a-zA-Z]+").matcher(output).results().count();
      double sl = lengthScore(task.length(), words);
      String bucket = task.isSectioned() ? "sectioned" : bucketOf(task.length());
      assertThat(s.path("task_id").asText()).isEqualTo(task.id());
      assertThat(s.path("required_length").asInt()).isEqualTo(task.length());
      assertThat(s.path("bucket").asText()).as(task.id()).isEqualTo(bucket);
      assertThat(s.path("output_words").asInt()).as(task.id()).isEqualTo(words);
      assertThat(s.path("S_l").asDouble()).as(task.id()).isCloseTo(sl, within(1e-9));
      if (!task.isSectioned()) {
        slByBucket.computeIfAbsent(bucket, b -> new ArrayList<>()).add(sl);
        sqByBucket.computeIfAbsent(bucket, b -> new ArrayList<>()).add(s.path("S_q").asDouble());
      }
    }
    JsonNode sl = record.path("scores").path("S_l");
    double sum = 0;
    for (Map.Entry<String, List<Double>> b : slByBucket.entrySet()) {
      double mean = b.getValue().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
      assertThat(sl.path(b.getKey()).asDouble()).as("S_l of %s", b.getKey()).isCloseTo(mean, within(1e-9));
      sum += mean;
    }
    assertThat(sl.size()).as("buckets with tasks, and avg").isEqualTo(slByBucket.size() + 1);
    assertThat(sl.path("avg").asDouble()).isCloseTo(sum / slByBucket.size(), within(1e-9));
    // S_q is linear in the dimension scores, so a bucket's S_q is the mean of its samples' S_q.
    JsonNode sq = record.path("scores").path("S_q");
    double sqSum = 0;
    for (Map.Entry<String, List<Double>> b : sqByBucket.entrySet()) {
      double mean = b.getValue().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
      assertThat(sq.path(b.getKey()).asDouble()).as("S_q of %s", b.getKey()).isCloseTo(mean, within(1e-9));
      sqSum += mean;
    }
    assertThat(sq.size()).as("buckets with tasks, and avg").isEqualTo(sqByBucket.size() + 1);
    assertThat(sq.path("avg").asDouble()).isCloseTo(sqSum / sqByBucket.size(), within(1e-9));
  }

  /** LongWriter's S_l: over-length loses a third per required length, under-length a half. */
  private static double lengthScore(int required, int words) {
    if (words == 0) {
      return 0;
    }
    double ratio = (double) words / required;
    return ratio > 1 ? 100 * Math.max(0, 1 - (ratio - 1) / 3) : 100 * Math.max(0, 1 - (1 / ratio - 1) / 2);
  }

  /** The testbed's buckets: the paper's divided by ten, the last taking anything longer. */
  private static String bucketOf(int required) {
    return required < 50 ? "0-50" : required < 200 ? "50-200" : required < 400 ? "200-400" : "400-600";
  }

  @Test
  void givesUpAnIntermediateCheckpointWhenItsVariantsLastOneArrives() throws Exception {
    Path a = TestbedModels.saved(dir.resolve("ck-a"), 2);
    // Five tasks in batches of four on one thread: the evaluation of a checkpoint takes two calls.
    var tasks = new TaskGenerator(5).generate(4, 1);
    CheckpointEvaluation evaluation =
        new CheckpointEvaluation(tasks, LengthBuckets.TESTBED, new EvalSettings(4, 1, Split.TEST, 3, 4, 1), dir.resolve("eval"));
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
