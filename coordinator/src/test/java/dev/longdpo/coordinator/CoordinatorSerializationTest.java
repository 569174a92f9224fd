package dev.longdpo.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.longdpo.protocol.MessageTypes;
import dev.longdpo.protocol.SerializationHarness;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The coordinator module's own messages (registered in its {@code reference.conf}) round-trip
 * through the serializer they are bound to, and none goes without a round trip here.
 */
class CoordinatorSerializationTest {

  static final ActorTestKit kit = ActorTestKit.create("coordinator-messages", ConfigFactory.load("application-test.conf"));

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  /** Every field distinct and off its default, so a field lost or swapped in transit shows. */
  static final RunSummary SUMMARY = new RunSummary(12, 11, 1, 2, 340, 5, 6, 7, 8, 900, 1.25, 0.75, 4, 61.5);

  @Test
  void aRunSummaryComesBackEqual() {
    assertThat(SerializationHarness.roundTrip(kit.system(), SUMMARY)).isEqualTo(SUMMARY);
  }

  @Test
  void everyMessageTypeOfTheModuleIsRoundTripped() throws Exception {
    // Add a round trip above, then its class here, when the module gets a new message type.
    assertThat(MessageTypes.of(RunSummary.class, "dev/longdpo/coordinator")).containsExactly(RunSummary.class.getName());
  }
}
