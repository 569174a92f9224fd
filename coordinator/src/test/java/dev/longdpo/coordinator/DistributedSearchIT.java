package dev.longdpo.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.longdpo.actors.Workers;
import dev.longdpo.coordinator.run.PairLog;
import dev.longdpo.coordinator.search.SearchSettings;
import dev.longdpo.protocol.coordinator.CoordinatorProtocol;
import dev.longdpo.protocol.pairs.PairStreamProtocol;
import dev.longdpo.testbed.task.TaskGenerator;
import dev.longdpo.testbed.task.WritingTask;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real two-node cluster on loopback: the coordinator on one ActorSystem finds search-node,
 * reward and critic actors living on another through the receptionist; every message crosses the
 * wire (and is also checked by serialize-messages).
 */
class DistributedSearchIT {

  @TempDir Path dir;

  @Test
  void aSearchRunsWithItsWorkersOnAnotherNode() throws Exception {
    ActorTestKit coordinatorNode = ActorTestKit.create("longdpo", ConfigFactory.load("cluster-test.conf"));
    ActorTestKit workerNode = ActorTestKit.create("longdpo", ConfigFactory.load("cluster-test.conf"));
    try {
      Cluster a = Cluster.get(coordinatorNode.system());
      Cluster b = Cluster.get(workerNode.system());
      a.manager().tell(Join.create(a.selfMember().address()));
      b.manager().tell(Join.create(a.selfMember().address()));
      TestProbe<Object> wait = coordinatorNode.createTestProbe();
      wait.awaitAssert(Duration.ofSeconds(20), () -> {
        assertThat(a.state().getMembers()).hasSize(2).allMatch(m -> m.status() == MemberStatus.up());
        return null;
      });
      workerNode.spawn(Workers.create(SearchRunner.scriptedWorkers(1), SearchRunner.actorsSettings()), "workers");

      List<WritingTask> tasks = new TaskGenerator(3).generate(8, 0);
      SearchSettings settings = SearchSettings.create(ConfigFactory.load("application-test.conf"))
          .withBudget(2, 3).withTreesInFlight(4).withCritiqueThreshold(5.0);
      try (PairLog log = PairLog.open(dir.resolve("pairs.log"))) {
        TestProbe<RunSummary> done = coordinatorNode.createTestProbe();
        ActorRef<CoordinatorProtocol.Command> c = SearchRunner.start(coordinatorNode, tasks, settings, log, done);
        // A subscriber on the worker node talks to the coordinator through a remote ref: pairs cross
        // the wire as Protobuf.
        ActorRef<CoordinatorProtocol.Command> remote = ActorRefResolver.get(workerNode.system())
            .resolveActorRef(ActorRefResolver.get(coordinatorNode.system()).toSerializationFormat(c));
        TestProbe<PairStreamProtocol.Delivery> consumer = workerNode.createTestProbe();
        remote.tell(new PairStreamProtocol.Subscribe("remote", 0, consumer.getRef()));
        remote.tell(new PairStreamProtocol.Request("remote", 1000));
        RunSummary s = done.expectMessageClass(RunSummary.class, Duration.ofSeconds(60));
        assertThat(s.trees()).isEqualTo(8);
        assertThat(s.failed()).isZero();
        assertThat(s.critiquesFired()).isPositive(); // the critic on the other node answered
        long received = 0;
        boolean end = false;
        while (!end) {
          PairStreamProtocol.Delivery d = consumer.expectMessageClass(PairStreamProtocol.Delivery.class, Duration.ofSeconds(20));
          received += d.pairs().size();
          end = d.endOfRun();
        }
        assertThat(received).isEqualTo(s.pairs());
        coordinatorNode.stop(c);
      }
    } finally {
      workerNode.shutdownTestKit();
      coordinatorNode.shutdownTestKit();
    }
  }
}
