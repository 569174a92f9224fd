package dev.longdpo.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.longdpo.actors.Workers;
import dev.longdpo.coordinator.run.PairLog;
import dev.longdpo.coordinator.search.SearchSettings;
import dev.longdpo.protocol.coordinator.CoordinatorProtocol;
import dev.longdpo.protocol.pairs.PairStreamProtocol;
import dev.longdpo.protocol.pairs.PreferencePair;
import dev.longdpo.testbed.task.TaskGenerator;
import dev.longdpo.testbed.task.WritingTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoordinatorTest {

  static ActorTestKit kit;
  static final SearchSettings SETTINGS =
      SearchSettings.create(ConfigFactory.load("application-test.conf")).withBudget(3, 4).withTreesInFlight(4);

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create("coordinator", ConfigFactory.load("application-test.conf"));
    kit.spawn(Workers.create(SearchRunner.scriptedWorkers(2), SearchRunner.actorsSettings()), "workers");
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  static List<WritingTask> tasks(int n) {
    return new TaskGenerator(77).generate(n, 0);
  }

  @Test
  void searchesEveryPromptLogsEveryPairAndStreamsWithFlowControl() throws Exception {
    List<WritingTask> tasks = tasks(12);
    Path logFile = dir.resolve("pairs.log");
    try (PairLog log = PairLog.open(logFile)) {
      TestProbe<RunSummary> done = kit.createTestProbe();
      ActorRef<CoordinatorProtocol.Command> c = SearchRunner.start(kit, tasks, SETTINGS, log, done);
      TestProbe<PairStreamProtocol.Delivery> consumer = kit.createTestProbe();
      c.tell(new PairStreamProtocol.Subscribe("trainer", 0, consumer.getRef()));
      List<PreferencePair> streamed = new ArrayList<>();
      boolean end = false;
      int credit = 0;
      while (!end) {
        if (credit == 0) {
          // Never more than requested: with no credit left nothing arrives.
          consumer.expectNoMessage(Duration.ofMillis(20));
          c.tell(new PairStreamProtocol.Request("trainer", 5));
          credit = 5;
        }
        PairStreamProtocol.Delivery d = consumer.expectMessageClass(PairStreamProtocol.Delivery.class, Duration.ofSeconds(60));
        assertThat(d.pairs().size()).isLessThanOrEqualTo(credit);
        assertThat(d.firstOffset()).isEqualTo(streamed.size());
        streamed.addAll(d.pairs());
        credit -= d.pairs().size();
        end = d.endOfRun();
      }
      RunSummary summary = done.expectMessageClass(RunSummary.class, Duration.ofSeconds(60));
      assertThat(summary.trees()).isEqualTo(12);
      assertThat(summary.maxTreesInFlight()).isBetween(1, 4);
      assertThat(summary.pairs()).isEqualTo(streamed.size()).isPositive();
      Set<String> ids = new HashSet<>();
      streamed.forEach(p -> ids.add(p.pairId()));
      assertThat(ids).hasSize(streamed.size());
      kit.stop(c);
    }
    PairLog.Contents contents = PairLog.readOnly(logFile);
    assertThat(contents.pairs()).hasSize((int) contents.pairs().stream().map(PreferencePair::pairId).distinct().count());
    assertThat(contents.completed()).hasSize(12);
    // Each prompt's pairs went out together at its end, each knowing how many there are.
    for (PreferencePair p : contents.pairs()) {
      assertThat(p.promptPairs()).as(p.pairId()).isEqualTo(contents.completed().get(p.promptId()).pairs());
    }
  }

  @Test
  void theSameRunTwiceGivesTheSamePairs() throws Exception {
    List<WritingTask> tasks = tasks(6);
    SearchRunner.runToEnd(kit, tasks, SETTINGS, dir.resolve("a.log"));
    SearchRunner.runToEnd(kit, tasks, SETTINGS.withTreesInFlight(1), dir.resolve("b.log"));
    List<PreferencePair> a = PairLog.readOnly(dir.resolve("a.log")).pairs();
    List<PreferencePair> b = PairLog.readOnly(dir.resolve("b.log")).pairs();
    assertThat(new HashSet<>(b)).isEqualTo(new HashSet<>(a));
  }

  @Test
  void aRestartSkipsCompletedPromptsNeverDuplicatesAndSurvivesATornTail() throws Exception {
    List<WritingTask> tasks = tasks(10);
    Path reference = dir.resolve("reference.log");
    SearchRunner.runToEnd(kit, tasks, SETTINGS, reference);

    Path logFile = dir.resolve("crashed.log");
    // First session: only the first 6 prompts get searched, then the process "dies".
    SearchRunner.runToEnd(kit, tasks.subList(0, 6), SETTINGS, logFile);
    byte[] bytes = Files.readAllBytes(logFile);
    Files.write(logFile, java.util.Arrays.copyOf(bytes, bytes.length - 7)); // a torn last record
    PairLog.Contents torn = PairLog.readOnly(logFile);
    assertThat(torn.droppedTailBytes()).isPositive();
    int completedBefore = torn.completed().size();
    assertThat(completedBefore).isBetween(5, 6);

    RunSummary second = SearchRunner.runToEnd(kit, tasks, SETTINGS, logFile);
    assertThat(second.skipped()).isEqualTo(completedBefore);
    assertThat(second.trees()).isEqualTo(10);
    List<PreferencePair> resumed = PairLog.readOnly(logFile).pairs();
    List<PreferencePair> full = PairLog.readOnly(reference).pairs();
    assertThat(resumed).hasSize(full.size());
    assertThat(new HashSet<>(resumed)).isEqualTo(new HashSet<>(full));
    assertThat(PairLog.readOnly(logFile).droppedTailBytes()).isZero();
  }
}
