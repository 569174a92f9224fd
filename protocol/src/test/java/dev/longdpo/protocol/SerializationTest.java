package dev.longdpo.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.longdpo.protocol.internal.KryoSerializer;
import dev.longdpo.protocol.internal.ProtoSerializer;
import java.io.NotSerializableException;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class SerializationTest {

  static final ActorTestKit testKit =
      ActorTestKit.create("protocol", ConfigFactory.load("application-test.conf"));

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void wireMessagesRoundTripThroughProtobuf() {
    var m = new HarnessProbes.WireProbe("hello", List.of(1, 2, 3));
    assertThat(SerializationHarness.roundTrip(testKit.system(), m)).isEqualTo(m);
    assertThat(SerializationExtension.get(testKit.system()).findSerializerFor(m).identifier())
        .isEqualTo(ProtoSerializer.IDENTIFIER);
  }

  @Test
  void kryoMessagesRoundTripWithActorRefs() {
    TestProbe<String> probe = testKit.createTestProbe();
    var m = new HarnessProbes.KryoProbe("k", List.of("a", "b"), probe.getRef());
    var copy = SerializationHarness.roundTrip(testKit.system(), m);
    copy.replyTo().tell("still reachable");
    probe.expectMessage("still reachable");
  }

  @Test
  void anUnregisteredKryoClassIsRefused() {
    var s = SerializationExtension.get(testKit.system());
    assertThatThrownBy(() -> s.serialize(new HarnessProbes.Unregistered("x")).get())
        .hasMessageContaining("Class is not registered")
        .hasMessageContaining("Unregistered");
  }

  @Test
  void javaSerializationIsDisabled() {
    var s = SerializationExtension.get(testKit.system());
    assertThatThrownBy(() -> s.serialize(new HarnessProbes.PlainSerializable("x")).get())
        .hasMessageContaining("Java serialization");
  }

  @Test
  void anUnknownManifestIsNotSerializable() {
    ProtoSerializer proto = new ProtoSerializer(ConfigFactory.load("application-test.conf"));
    assertThatThrownBy(() -> proto.fromBinary(new byte[0], "zz"))
        .isInstanceOf(NotSerializableException.class)
        .hasMessageContaining("zz");
  }

  @Test
  void duplicateKryoIdsFailAtStart() {
    var config =
        ConfigFactory.parseString(
                "longdpo.protocol.kryo-registrations {"
                    + " \"dev.longdpo.protocol.HarnessProbes$KryoProbe\" = 300,"
                    + " \"dev.longdpo.protocol.HarnessProbes$Unregistered\" = 300 }")
            .withFallback(ConfigFactory.load());
    assertThatThrownBy(() -> new KryoSerializer(config, Optional.empty()))
        .hasMessageContaining("id 300 is already used");
  }
}
