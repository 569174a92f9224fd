package dev.longdpo.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.longdpo.protocol.training.CheckpointWritten;
import dev.longdpo.protocol.training.EvaluatorProtocol;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Checkpoint announcements and the evaluator's messages survive their serializer. */
class TrainingProtocolSerializationTest {

  static final ActorTestKit testKit = ActorTestKit.create("training-protocol", ConfigFactory.load("application-test.conf"));

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void checkpointMessagesRoundTrip() {
    var written = new CheckpointWritten("longdpo", "longdpo-step-40", "/runs/x/checkpoints/longdpo-step-40", 40, 123_456,
        77, true);
    assertThat(SerializationHarness.roundTrip(testKit.system(), written)).isEqualTo(written);
    var idle = testKit.<EvaluatorProtocol.Idle>createTestProbe();
    SerializationHarness.roundTrip(testKit.system(), new EvaluatorProtocol.WhenIdle(idle.getRef()));
    assertThat(SerializationHarness.roundTrip(testKit.system(), new EvaluatorProtocol.Idle(3, 1)))
        .isEqualTo(new EvaluatorProtocol.Idle(3, 1));
  }
}
