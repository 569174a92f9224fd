package dev.longdpo.protocol.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import dev.longdpo.protocol.WireCodec;
import dev.longdpo.protocol.WireMessage;
import java.io.IOException;
import java.io.NotSerializableException;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * Serializes {@link WireMessage}s with the {@link WireCodec}s listed under {@code
 * longdpo.protocol.wire-codecs} (manifest = codec class). The manifest travels with each message;
 * an unknown one is a {@link NotSerializableException}.
 */
public final class ProtoSerializer extends SerializerWithStringManifest {

  /** Fixed serializer id (Pekko reserves 0–40). */
  public static final int IDENTIFIER = 4711;

  private final WireMeters meters = new WireMeters("proto");
  private final Map<String, WireCodec<?>> byManifest = new HashMap<>();
  private final Map<Class<?>, String> manifestOf = new HashMap<>();

  /** Created by Pekko with the system whose configuration lists the codecs. */
  public ProtoSerializer(ExtendedActorSystem system) {
    this(system.settings().config());
  }

  /** Reads the codec list from {@code config}. */
  public ProtoSerializer(Config config) {
    Config codecs = config.getConfig("longdpo.protocol.wire-codecs");
    for (Map.Entry<String, ConfigValue> e : codecs.root().entrySet()) {
      String manifest = e.getKey();
      String className = e.getValue().unwrapped().toString();
      WireCodec<?> codec = instantiate(manifest, className);
      if (manifestOf.put(codec.type(), manifest) != null) {
        throw new IllegalStateException(
            "longdpo.protocol.wire-codecs: " + codec.type().getName() + " has two codecs");
      }
      byManifest.put(manifest, codec);
    }
  }

  private static WireCodec<?> instantiate(String manifest, String className) {
    try {
      return (WireCodec<?>) Class.forName(className).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException(
          "longdpo.protocol.wire-codecs." + manifest + ": '" + className
              + "' is not a WireCodec with a public no-argument constructor",
          e);
    }
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object o) {
    String m = manifestOf.get(o.getClass());
    if (m == null) {
      throw new IllegalArgumentException(
          "no WireCodec for " + o.getClass().getName() + " under longdpo.protocol.wire-codecs");
    }
    return m;
  }

  @Override
  @SuppressWarnings("unchecked")
  public byte[] toBinary(Object o) {
    WireCodec<WireMessage> codec = (WireCodec<WireMessage>) byManifest.get(manifest(o));
    byte[] bytes = codec.toBytes((WireMessage) o);
    meters.written(bytes.length);
    return bytes;
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    WireCodec<?> codec = byManifest.get(manifest);
    if (codec == null) {
      throw new NotSerializableException("unknown manifest '" + manifest + "'");
    }
    meters.read(bytes.length);
    try {
      return codec.fromBytes(bytes);
    } catch (IOException | RuntimeException e) {
      NotSerializableException n =
          new NotSerializableException("malformed " + manifest + ": " + e.getMessage());
      n.initCause(e);
      throw n;
    }
  }
}
