package dev.longdpo.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longdpo.protocol.internal.KryoSerializer;
import dev.longdpo.protocol.internal.ProtoSerializer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;

/**
 * The round-trip check every message plugs into: the message must be bound to one of our two
 * serializers (never Java serialization), survive serialize → deserialize, and come back equal.
 * Shared with other modules through this module's test jar.
 */
public final class SerializationHarness {

  private SerializationHarness() {}

  /** Round-trips {@code message} through the serializer Pekko picks for it and returns the copy. */
  @SuppressWarnings("unchecked")
  public static <T> T roundTrip(ActorSystem<?> system, T message) {
    Serialization serialization = SerializationExtension.get(system);
    Serializer serializer = serialization.findSerializerFor(message);
    assertThat(serializer.identifier())
        .as("serializer for %s", message.getClass().getName())
        .isIn(ProtoSerializer.IDENTIFIER, KryoSerializer.IDENTIFIER);
    byte[] bytes = serialization.serialize(message).get();
    String manifest = Serializers.manifestFor(serializer, message);
    Object copy = serialization.deserialize(bytes, serializer.identifier(), manifest).get();
    assertThat(copy).as("round trip of %s", message.getClass().getName()).isEqualTo(message);
    return (T) copy;
  }
}
