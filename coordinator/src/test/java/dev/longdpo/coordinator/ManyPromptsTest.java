package dev.longdpo.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.longdpo.actors.Workers;
import dev.longdpo.coordinator.run.PairLog;
import dev.longdpo.coordinator.search.SearchSettings;
import dev.longdpo.testbed.task.TaskGenerator;
import dev.longdpo.testbed.task.WritingTask;
import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A thousand prompts through the actors with a bound on live trees, in a small heap. */
class ManyPromptsTest {

  @TempDir Path dir;

  @Test
  void aThousandPromptsWithAtMost64InFlight() throws Exception {
    assertThat(Runtime.getRuntime().maxMemory()).as("run under -Xmx512m").isLessThanOrEqualTo(512L << 20);
    ActorTestKit kit = ActorTestKit.create("many", ConfigFactory.load("application-test.conf"));
    try {
      kit.spawn(Workers.create(SearchRunner.scriptedWorkers(2), SearchRunner.actorsSettings()), "workers");
      List<WritingTask> tasks = new TaskGenerator(5).generate(1000, 0);
      SearchSettings settings =
          SearchSettings.create(ConfigFactory.load("application-test.conf")).withBudget(2, 2).withTreesInFlight(64)
              .withComponents(false, true);
      RunSummary s = SearchRunner.runToEnd(kit, tasks, settings, dir.resolve("pairs.log"));
      assertThat(s.trees()).isEqualTo(1000);
      assertThat(s.failed()).isZero();
      assertThat(s.maxTreesInFlight()).isEqualTo(64);
      assertThat(PairLog.readOnly(dir.resolve("pairs.log")).completed()).hasSize(1000);
    } finally {
      kit.shutdownTestKit();
    }
  }
}
