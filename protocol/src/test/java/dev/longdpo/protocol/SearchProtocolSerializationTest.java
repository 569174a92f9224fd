package dev.longdpo.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.longdpo.protocol.pairs.PairStep;
import dev.longdpo.protocol.pairs.PairStreamProtocol;
import dev.longdpo.protocol.pairs.PreferencePair;
import dev.longdpo.protocol.search.CriticProtocol;
import dev.longdpo.protocol.search.ExpandJob;
import dev.longdpo.protocol.search.Guidance;
import dev.longdpo.protocol.search.RewardProtocol;
import dev.longdpo.protocol.search.SearchNodeProtocol;
import dev.longdpo.protocol.search.StepDecoding;
import dev.longdpo.protocol.search.StepSample;
import dev.longdpo.protocol.search.StepScore;
import dev.longdpo.protocol.search.TaskSpec;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every search and pair-stream message survives the serializer it is bound to. */
class SearchProtocolSerializationTest {

  static final ActorTestKit testKit = ActorTestKit.create("search-protocol", ConfigFactory.load("application-test.conf"));

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** A pair with every field set, for round-trip tests here and elsewhere. */
  public static PreferencePair samplePair(int depth) {
    StepScore good = new StepScore(List.of(5.0, 4.0, 5.0, 5.0, 4.5, 5.0, 3.0), 8.5, 4.5, 13.0);
    StepScore bad = new StepScore(List.of(2.0, 4.0, 5.0, 3.0, 1.0, 5.0, 2.0), 7.0, 3.14, 10.14);
    return new PreferencePair(
        PreferencePair.id("run", "p7", depth), "run", "p7", depth, "In about 50 words, write.",
        "[INST] In about 50 words, write. [/INST]", new int[] {1, 4, 9, 5},
        new PairStep(" The city.\n\n", new int[] {10, 11, 12}, false, good, -3.5, 12.7),
        new PairStep(" The town.</s>", new int[] {10, 13, 2}, true, bad, -4.25, 9.1),
        true, 3, true, 4);
  }

  @Test
  void searchMessagesRoundTrip() {
    var probe = testKit.<SearchNodeProtocol.Expanded>createTestProbe();
    var job = new ExpandJob("p7", "p7/0.1", new int[] {1, 2, 3}, 4, 99L, new StepDecoding(1.0, 0.95, 96),
        List.of(new Guidance("ACCURACY", "Keep the facts.", 5, List.of("salt"), List.of("copper"), "KEEP")));
    SerializationHarness.roundTrip(testKit.system(), new SearchNodeProtocol.Expand(job, probe.getRef()));
    SerializationHarness.roundTrip(testKit.system(), new SearchNodeProtocol.Expanded("p7/0.1",
        List.of(new StepSample(new int[] {5, 6}, " A.\n\n", false, -2.5, "p7/0.1.0"))));
    SerializationHarness.roundTrip(testKit.system(), new SearchNodeProtocol.Forget("p7"));

    StepScore score = samplePair(1).chosen().score();
    TaskSpec task = new TaskSpec("p7", "Write.", 50, "{\"prompt\":\"Write.\",\"length\":50}");
    var scored = testKit.<RewardProtocol.Scored>createTestProbe();
    SerializationHarness.roundTrip(testKit.system(),
        new RewardProtocol.Score(task, "ctx", List.of(new RewardProtocol.Candidate(" B.", true)), scored.getRef()));
    SerializationHarness.roundTrip(testKit.system(), new RewardProtocol.Scored(List.of(score)));

    var critiqued = testKit.<CriticProtocol.Critiqued>createTestProbe();
    var reviewed = new CriticProtocol.Reviewed(" B.", score, false);
    SerializationHarness.roundTrip(testKit.system(),
        new CriticProtocol.Critique(task, "ctx", reviewed, List.of(reviewed), 3, critiqued.getRef()));
    SerializationHarness.roundTrip(testKit.system(), new CriticProtocol.Critiqued(job.guidance()));
  }

  @Test
  void pairsAndTheStreamRoundTrip() {
    SerializationHarness.roundTrip(testKit.system(), samplePair(2));
    var consumer = testKit.<PairStreamProtocol.Delivery>createTestProbe();
    SerializationHarness.roundTrip(testKit.system(), new PairStreamProtocol.Subscribe("t", 5, consumer.getRef()));
    SerializationHarness.roundTrip(testKit.system(), new PairStreamProtocol.Request("t", 16));
    SerializationHarness.roundTrip(testKit.system(), new PairStreamProtocol.Unsubscribe("t"));
    var delivery = new PairStreamProtocol.Delivery(5, List.of(samplePair(1), samplePair(2)), true);
    assertThat(SerializationHarness.roundTrip(testKit.system(), delivery).pairs()).hasSize(2);
  }
}
