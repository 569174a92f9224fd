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
      TestProbe<CoordinatorProtocol.RunProgress> progress = kit.createTestProbe();
      c.tell(new PairStreamProtocol.Subscribe("trainer", 0, consumer.getRef()));
      List<PreferencePair> streamed = new ArrayList<>();

      // While the search runs: 5 pairs asked for, 5 sent, in order.
      c.tell(new PairStreamProtocol.Request("trainer", 5));
      receive(consumer, streamed, 5);
      RunSummary summary = done.expectMessageClass(RunSummary.class, Duration.ofSeconds(60));
      assertThat(summary.pairs()).as("enough pairs to hold some back").isGreaterThan(10);
      assertNothingBeyondCredit(c, consumer, progress);

      // The rest, 5 at a time: never more than asked for, although every pair is there to send.
      boolean end = false;
      while (!end) {
        c.tell(new PairStreamProtocol.Request("trainer", 5));
        end = receive(consumer, streamed, 5);
        if (!end) {
          assertNothingBeyondCredit(c, consumer, progress);
        }
      }
      assertThat(summary.trees()).isEqualTo(12);
      // 12 prompts, room for 4 and both workers from the start: the first 4 start together.
      assertThat(summary.maxTreesInFlight()).isEqualTo(4);
      assertThat(summary.pairs()).isEqualTo(streamed.size());
      Set<String> ids = new HashSet<>();
      streamed.forEach(p -> ids.add(p.pairId()));
      assertThat(ids).hasSize(streamed.size());
      kit.stop(c);
    }
    // What the file holds, record by record (readOnly would hide a repeated id).
    List<PreferencePair> records = PairLog.pairRecords(logFile);
    assertThat(records).extracting(PreferencePair::pairId).doesNotHaveDuplicates();
    PairLog.Contents contents = PairLog.readOnly(logFile);
    assertThat(records).hasSameSizeAs(contents.pairs());
    assertThat(contents.completed()).hasSize(12);
    // Each prompt's pairs went out together at its end, each knowing how many there are.
    for (PreferencePair p : contents.pairs()) {
      assertThat(p.promptPairs()).as(p.pairId()).isEqualTo(contents.completed().get(p.promptId()).pairs());
    }
  }

  /**
   * Receives deliveries until {@code credit} pairs or the end arrived, checking offsets and sizes.
   *
   * @return whether the end of the run arrived
   */
  private static boolean receive(TestProbe<PairStreamProtocol.Delivery> consumer, List<PreferencePair> streamed,
      int credit) {
    while (credit > 0) {
      PairStreamProtocol.Delivery d = consumer.expectMessageClass(PairStreamProtocol.Delivery.class, Duration.ofSeconds(60));
      assertThat(d.pairs().size()).isLessThanOrEqualTo(credit);
      assertThat(d.firstOffset()).isEqualTo(streamed.size());
      streamed.addAll(d.pairs());
      credit -= d.pairs().size();
      if (d.endOfRun()) {
        return true;
      }
    }
    return false;
  }

  /**
   * With no credit left, nothing more was sent. The coordinator answers a progress query after every
   * message before it, and a local send is queued at once: any delivery it made while handling the
   * pairs it holds is already in the consumer's queue when the answer comes.
   */
  private static void assertNothingBeyondCredit(ActorRef<CoordinatorProtocol.Command> c,
      TestProbe<PairStreamProtocol.Delivery> consumer, TestProbe<CoordinatorProtocol.RunProgress> progress) {
    c.tell(new CoordinatorProtocol.GetProgress(progress.getRef()));
    progress.expectMessageClass(CoordinatorProtocol.RunProgress.class, Duration.ofSeconds(60));
    consumer.expectNoMessage(Duration.ZERO);
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
    // A prompt's pairs are logged before its completion record, so the torn record is the sixth
    // prompt's completion: its pairs are in the log, and the restart searches it again.
    int completedBefore = torn.completed().size();
    assertThat(completedBefore).isEqualTo(5);

    RunSummary second = SearchRunner.runToEnd(kit, tasks, SETTINGS, logFile);
    assertThat(second.skipped()).isEqualTo(completedBefore);
    assertThat(second.trees()).isEqualTo(10);
    List<PreferencePair> resumed = PairLog.readOnly(logFile).pairs();
    List<PreferencePair> full = PairLog.readOnly(reference).pairs();
    assertThat(resumed).hasSize(full.size());
    assertThat(new HashSet<>(resumed)).isEqualTo(new HashSet<>(full));
    assertThat(PairLog.readOnly(logFile).droppedTailBytes()).isZero();
    // The sixth prompt's pairs were found twice; the file holds each once.
    assertThat(PairLog.pairRecords(logFile)).extracting(PreferencePair::pairId).doesNotHaveDuplicates()
        .hasSize(full.size());
  }
}
