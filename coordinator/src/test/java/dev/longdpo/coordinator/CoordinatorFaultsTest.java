package dev.longdpo.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.longdpo.actors.Workers;
import dev.longdpo.actors.searchnode.SearchNode;
import dev.longdpo.actors.backend.testing.TestingPolicy;
import dev.longdpo.coordinator.run.PairLog;
import dev.longdpo.coordinator.search.SearchSettings;
import dev.longdpo.protocol.coordinator.CoordinatorProtocol;
import dev.longdpo.protocol.search.RewardProtocol;
import dev.longdpo.protocol.search.WorkerKeys;
import dev.longdpo.testbed.task.WritingTask;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run does when its workers or its log fail: a prompt whose tree keeps failing is searched
 * again up to the run's attempts, then marked failed, and the run still ends; a pair log that
 * cannot be written stops the coordinator with the reason.
 */
class CoordinatorFaultsTest {

  /** Requests time out fast: the reward actor below never answers. */
  static final Config CONFIG = ConfigFactory.parseString("longdpo.search.ask-timeout = 150ms")
      .withFallback(ConfigFactory.load("application-test.conf"));
  static final SearchSettings SETTINGS = SearchSettings.create(CONFIG).withBudget(2, 2).withTreesInFlight(2);

  static ActorTestKit kit;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create("coordinator-faults", CONFIG);
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  /** Records what the coordinator reports. */
  static final class Heard implements RunListener {
    final Map<String, Integer> retried = new ConcurrentHashMap<>();
    final Map<String, Integer> failed = new ConcurrentHashMap<>();
    final List<String> runFailed = new CopyOnWriteArrayList<>();

    @Override
    public void treeRetried(String promptId, int attempt, String reason) {
      retried.merge(promptId, 1, Integer::sum);
    }

    @Override
    public void promptFailed(String promptId, int attempts, String reason) {
      failed.put(promptId, attempts);
    }

    @Override
    public void runFailed(String reason) {
      runFailed.add(reason);
    }
  }

  @Test
  void aPromptThatKeepsFailingIsRetriedThenMarkedFailedAndTheRunEnds() throws Exception {
    WorkerKeys keys = WorkerKeys.forRun("silent-reward");
    kit.spawn(SearchNode.create(new TestingPolicy(3, 6), SearchRunner.actorsSettings(), keys.searchNodes(),
        SearchNode.Hold.NEVER));
    kit.spawn(Behaviors.<RewardProtocol.Command>setup(ctx -> {
      ctx.getSystem().receptionist().tell(Receptionist.register(keys.rewards(), ctx.getSelf()));
      return Behaviors.ignore(); // never scores: every tree's first Score request times out
    }));
    List<WritingTask> tasks = CoordinatorTest.tasks(3);
    Heard heard = new Heard();
    try (PairLog log = PairLog.open(dir.resolve("pairs.log"))) {
      TestProbe<RunSummary> done = kit.createTestProbe();
      kit.spawn(Coordinator.create(
          new Coordinator.Plan("silent-reward", SearchRunner.specs(tasks), SETTINGS.withComponents(false, true), log, keys, 2,
              Coordinator.Hold.NEVER, () -> {}, 1),
          SearchRunner.backends(), heard, done.getRef()));
      RunSummary summary = done.expectMessageClass(RunSummary.class, Duration.ofSeconds(30));
      assertThat(summary.failed()).isEqualTo(3);
      assertThat(summary.trees()).isZero();
      for (WritingTask t : tasks) {
        assertThat(heard.retried.get(t.id())).as("%s searched again", t.id()).isEqualTo(1);
        assertThat(heard.failed.get(t.id())).as("%s marked failed after its 2 attempts", t.id()).isEqualTo(2);
      }
      assertThat(log.contents().completed()).isEmpty();
    }
  }

  @Test
  void aPairLogThatCannotBeWrittenStopsTheCoordinatorWithTheReason() throws Exception {
    WorkerKeys keys = WorkerKeys.forRun("broken-log");
    kit.spawn(Workers.create(SearchRunner.scriptedWorkers(1), SearchRunner.actorsSettings(), keys, SearchNode.Hold.NEVER));
    Path file = dir.resolve("pairs.log");
    PairLog log = PairLog.open(file);
    log.close(); // every write from now on fails
    Heard heard = new Heard();
    TestProbe<RunSummary> done = kit.createTestProbe();
    ActorRef<CoordinatorProtocol.Command> c = kit.spawn(Coordinator.create(
        new Coordinator.Plan("broken-log", SearchRunner.specs(CoordinatorTest.tasks(2)), SETTINGS, log, keys, 2, Coordinator.Hold.NEVER,
            () -> {}, 1),
        SearchRunner.backends(), heard, done.getRef()));
    TestProbe<Object> watcher = kit.createTestProbe();
    watcher.expectTerminated(c, Duration.ofSeconds(30));
    assertThat(heard.runFailed).hasSize(1);
    assertThat(heard.runFailed.get(0)).contains("cannot write the pair log").contains(file.toString());
    done.expectNoMessage(Duration.ZERO);
  }
}
