package dev.longdpo.coordinator;

import dev.longdpo.actors.backend.PromptEncoder;
import dev.longdpo.actors.backend.TaskSpecs;
import dev.longdpo.model.PromptTemplate;
import dev.longdpo.protocol.search.TaskSpec;
import dev.longdpo.actors.ActorsSettings;
import dev.longdpo.actors.Workers;
import dev.longdpo.actors.backend.Policy;
import dev.longdpo.actors.backend.TestbedCritic;
import dev.longdpo.actors.backend.TestbedFacts;
import dev.longdpo.actors.backend.testing.TestingJudge;
import dev.longdpo.actors.backend.testing.TestingPolicy;
import dev.longdpo.coordinator.run.PairLog;
import dev.longdpo.coordinator.search.SearchSettings;
import dev.longdpo.protocol.coordinator.CoordinatorProtocol;
import dev.longdpo.testbed.task.WritingTask;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;

/** Runs searches with scripted workers in a test kit. */
final class SearchRunner {

  private SearchRunner() {}

  static Workers.Spec scriptedWorkers(int searchNodes) {
    List<Supplier<Policy>> policies = new java.util.ArrayList<>();
    for (int i = 0; i < searchNodes; i++) {
      policies.add(() -> new TestingPolicy(3, 6));
    }
    return new Workers.Spec(policies, 2, TestingJudge::new, 1, TestbedCritic::new);
  }

  static SearchBackends backends() {
    return new SearchBackends(task -> new PromptEncoder.EncodedPrompt(new int[] {1, 4, 7, 5},
        PromptTemplate.INST.apply(task.prompt())), new TestbedFacts(0.8));
  }

  /** The tasks as the search receives them. */
  static List<TaskSpec> specs(List<WritingTask> tasks) {
    return tasks.stream().map(TaskSpecs::of).toList();
  }

  static ActorRef<CoordinatorProtocol.Command> start(
      ActorTestKit kit, List<WritingTask> tasks, SearchSettings settings, PairLog log, TestProbe<RunSummary> done) {
    return kit.spawn(Coordinator.create(new Coordinator.Plan("run", specs(tasks), settings, log), backends(), RunListener.NONE,
        done.getRef()));
  }

  static RunSummary runToEnd(ActorTestKit kit, List<WritingTask> tasks, SearchSettings settings, Path logFile) throws Exception {
    try (PairLog log = PairLog.open(logFile)) {
      TestProbe<RunSummary> done = kit.createTestProbe();
      ActorRef<CoordinatorProtocol.Command> c = start(kit, tasks, settings, log, done);
      RunSummary s = done.expectMessageClass(RunSummary.class, Duration.ofSeconds(120));
      kit.stop(c);
      return s;
    }
  }

  static ActorsSettings actorsSettings() {
    return new ActorsSettings(64, Duration.ofMillis(2), 64L << 20, false, 1);
  }
}
