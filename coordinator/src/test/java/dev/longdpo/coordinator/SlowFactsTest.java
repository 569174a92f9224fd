package dev.longdpo.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.longdpo.actors.Workers;
import dev.longdpo.actors.backend.Facts;
import dev.longdpo.actors.backend.PromptEncoder;
import dev.longdpo.actors.backend.StatedFact;
import dev.longdpo.actors.backend.TestbedFacts;
import dev.longdpo.coordinator.run.PairLog;
import dev.longdpo.coordinator.search.SearchSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory pool's checks are requests: a fact checker that hangs holds up its own tree only. The
 * actors get one default-dispatcher thread, so a check run inline would stall every tree.
 */
class SlowFactsTest {

  @TempDir Path dir;

  /** The testbed's checker, whose first extraction waits until released. */
  static final class OneSlowExtraction implements Facts {
    final Facts inner = new TestbedFacts(0.8);
    final AtomicBoolean first = new AtomicBoolean(true);
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch stuck = new CountDownLatch(1);

    @Override
    public List<StatedFact> extract(String text) {
      if (first.getAndSet(false)) {
        stuck.countDown();
        try {
          release.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return inner.extract(text);
    }

    @Override
    public List<StatedFact> contradicted(String text, Collection<StatedFact> stored) {
      return inner.contradicted(text, stored);
    }
  }

  @Test
  void aHangingFactCheckerHoldsUpItsOwnTreeOnly() throws Exception {
    ActorTestKit kit = ActorTestKit.create("slow-facts", ConfigFactory.parseString(
        "pekko.actor.default-dispatcher.fork-join-executor { parallelism-min = 1, parallelism-max = 1 }")
        .withFallback(ConfigFactory.load("application-test.conf")));
    OneSlowExtraction facts = new OneSlowExtraction();
    int tasks = 4;
    CountDownLatch othersFinished = new CountDownLatch(tasks - 1);
    RunListener listener = new RunListener() {
      @Override
      public void treeFinished(int completed, int total, long pairs) {
        othersFinished.countDown();
      }
    };
    try (PairLog log = PairLog.open(dir.resolve("pairs.log"))) {
      kit.spawn(Workers.create(SearchRunner.scriptedWorkers(1), SearchRunner.actorsSettings()), "workers");
      SearchSettings settings = CoordinatorTest.SETTINGS.withComponents(false, true).withTreesInFlight(tasks);
      SearchBackends backends = new SearchBackends(
          t -> new PromptEncoder.EncodedPrompt(new int[] {1, 4, 7, 5}, t.prompt()), facts);
      TestProbe<RunSummary> done = kit.createTestProbe();
      kit.spawn(Coordinator.create(new Coordinator.Plan("slow", SearchRunner.specs(CoordinatorTest.tasks(tasks)),
          settings, log), backends, listener, done.getRef()));
      assertThat(facts.stuck.await(60, TimeUnit.SECONDS)).as("a tree reached the slow extraction").isTrue();
      assertThat(othersFinished.await(60, TimeUnit.SECONDS)).as("the other trees finished meanwhile").isTrue();
      facts.release.countDown();
      RunSummary s = done.expectMessageClass(RunSummary.class, Duration.ofSeconds(60));
      assertThat(s.trees()).isEqualTo(tasks);
      assertThat(s.failed()).isZero();
    } finally {
      facts.release.countDown();
      kit.shutdownTestKit();
    }
  }
}
