package dev.longdpo.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.longdpo.actors.Workers;
import dev.longdpo.actors.backend.TestbedCritic;
import dev.longdpo.actors.backend.testing.TestingJudge;
import dev.longdpo.actors.backend.testing.TestingPolicy;
import dev.longdpo.coordinator.run.PairLog;
import dev.longdpo.coordinator.search.SearchSettings;
import dev.longdpo.protocol.pairs.PreferencePair;
import dev.longdpo.testbed.task.TaskGenerator;
import dev.longdpo.testbed.task.WritingTask;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncSearchTest {

  @TempDir Path dir;

  @Test
  void thePlainLoopAndTheActorsProduceTheSamePairs() throws Exception {
    List<WritingTask> tasks = new TaskGenerator(12).generate(9, 0);
    SearchSettings settings = SearchSettings.create(ConfigFactory.load("application-test.conf"))
        .withBudget(3, 3).withTreesInFlight(3).withCritiqueThreshold(5.0);
    List<PreferencePair> plain = new SyncSearch(new TestingPolicy(3, 6), new TestingJudge(), new TestbedCritic(),
        SearchRunner.backends(), 64).run("run", SearchRunner.specs(tasks), settings);
    ActorTestKit kit = ActorTestKit.create("sync", ConfigFactory.load("application-test.conf"));
    try {
      kit.spawn(Workers.create(SearchRunner.scriptedWorkers(1), SearchRunner.actorsSettings()));
      SearchRunner.runToEnd(kit, tasks, settings, dir.resolve("pairs.log"));
    } finally {
      kit.shutdownTestKit();
    }
    List<PreferencePair> actors = PairLog.readOnly(dir.resolve("pairs.log")).pairs();
    assertThat(plain).isNotEmpty();
    assertThat(new HashSet<>(plain)).isEqualTo(new HashSet<>(actors));
  }
}
