package dev.longdpo.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every message of this module survives the serializer it is bound to and comes back equal, and
 * no message type goes without that check: the types with a sample in {@link ProtocolSamples}
 * must be exactly the classes of this module that implement {@link WireMessage} or {@link
 * KryoMessage}.
 */
class ProtocolSerializationTest {

  static final ActorTestKit testKit =
      ActorTestKit.create("protocol-messages", ConfigFactory.load("application-test.conf"));

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  static Stream<Named<Object>> samples() {
    return ProtocolSamples.all(testKit).stream()
        .map(m -> Named.of(ProtocolSamples.messageType(m).getName(), m));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void everyMessageRoundTripsThroughItsSerializer(Object message) {
    SerializationHarness.roundTrip(testKit.system(), message);
  }

  @Test
  void everyMessageTypeOfTheModuleHasASample() throws Exception {
    Set<String> sampled = ProtocolSamples.all(testKit).stream()
        .map(m -> ProtocolSamples.messageType(m).getName())
        .collect(Collectors.toCollection(TreeSet::new));

    // A new message without a sample shows up on the left; a sample of a removed one on the right.
    assertThat(sampled).as("message types with a sample in ProtocolSamples")
        .hasSameElementsAs(messageTypes());
    assertThat(sampled).as("one sample per type").hasSameSizeAs(ProtocolSamples.all(testKit));
  }

  @Test
  void everyMessageTypeIsBoundToExactlyOneSerializer() throws Exception {
    // Bound to both, Pekko would pick one of them with a warning: the wire format would be chance.
    for (String name : messageTypes()) {
      Class<?> c = Class.forName(name, false, getClass().getClassLoader());
      assertThat(WireMessage.class.isAssignableFrom(c))
          .as("%s implements exactly one of WireMessage and KryoMessage", name)
          .isNotEqualTo(KryoMessage.class.isAssignableFrom(c));
    }
  }

  /** The module's message types (see {@link MessageTypes}); never none, or the scan is broken. */
  static Set<String> messageTypes() throws Exception {
    Set<String> out = MessageTypes.of(KryoMessage.class, "dev/longdpo/protocol");
    assertThat(out).as("message types found").isNotEmpty();
    return out;
  }
}
