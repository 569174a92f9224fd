package dev.longdpo.protocol.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers;
import com.esotericsoftware.kryo.util.Pool;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.JSerializer;

/**
 * A Pekko serializer over Kryo 5 for {@code KryoMessage}s between nodes of the same build.
 *
 * <p>Registration is required: every class that may appear is registered with a fixed id, the JDK
 * ones here (ids below 100) and the application's under {@code longdpo.protocol.kryo-registrations}
 * (ids from 100). Typed {@link ActorRef}s travel as their serialization strings and are resolved
 * on arrival. Kryo instances are not thread-safe, so they are pooled.
 */
public final class KryoSerializer extends JSerializer {

  /** Fixed serializer id (Pekko reserves 0–40). */
  public static final int IDENTIFIER = 4712;

  /** The smallest id configuration may use; lower ids are this class's built-ins. */
  public static final int FIRST_APPLICATION_ID = 100;

  private final Pool<Kryo> pool;
  private final WireMeters meters = new WireMeters("kryo");

  /** Created by Pekko. */
  public KryoSerializer(ExtendedActorSystem system) {
    this(system.settings().config(), Optional.of(ActorRefResolver.get(Adapter.toTyped(system))));
  }

  /**
   * @param config holds {@code longdpo.protocol.kryo-registrations}
   * @param resolver resolves actor refs; without it, messages holding refs cannot be serialized
   */
  public KryoSerializer(Config config, Optional<ActorRefResolver> resolver) {
    Map<Integer, Class<?>> registrations = readRegistrations(config);
    Function<Kryo, Kryo> setup = k -> configure(k, registrations, resolver);
    this.pool =
        new Pool<>(true, false, 16) {
          @Override
          protected Kryo create() {
            return setup.apply(new Kryo());
          }
        };
    pool.free(pool.obtain()); // fail at start, not on the first message, if registration is bad
  }

  private static Map<Integer, Class<?>> readRegistrations(Config config) {
    Map<Integer, Class<?>> out = new TreeMap<>();
    Config regs = config.getConfig("longdpo.protocol.kryo-registrations");
    for (Map.Entry<String, ConfigValue> e : regs.root().entrySet()) {
      String key = "longdpo.protocol.kryo-registrations.\"" + e.getKey() + "\"";
      Object raw = e.getValue().unwrapped();
      if (!(raw instanceof Number n) || n.intValue() < FIRST_APPLICATION_ID) {
        throw new IllegalStateException(key + ": " + raw + " must be an id >= " + FIRST_APPLICATION_ID);
      }
      Class<?> type;
      try {
        type = Class.forName(e.getKey());
      } catch (ClassNotFoundException ex) {
        throw new IllegalStateException(key + ": no such class", ex);
      }
      Class<?> previous = out.put(n.intValue(), type);
      if (previous != null) {
        throw new IllegalStateException(
            key + ": id " + n + " is already used by " + previous.getName());
      }
    }
    return out;
  }

  private static Kryo configure(
      Kryo kryo, Map<Integer, Class<?>> registrations, Optional<ActorRefResolver> resolver) {
    kryo.setRegistrationRequired(true);
    kryo.setReferences(false);
    ImmutableCollectionsSerializers.addDefaultSerializers(kryo);
    int id = 20;
    for (Class<?> c : builtIns()) {
      kryo.register(c, id++);
    }
    Serializer<ActorRef<?>> refs = new ActorRefSerializer(resolver);
    kryo.addDefaultSerializer(ActorRef.class, refs);
    kryo.register(actorRefClass(), refs, 60);
    for (Map.Entry<Integer, Class<?>> e : registrations.entrySet()) {
      kryo.register(e.getValue(), e.getKey());
    }
    return kryo;
  }

  /** JDK types that commonly appear in messages, in a fixed order (their ids follow it). */
  private static List<Class<?>> builtIns() {
    return List.of(
        List.of().getClass(),
        List.of(1).getClass(),
        Set0.SET1,
        Set0.SETN,
        Map.of().getClass(),
        Map.of(1, 1).getClass(),
        ArrayList.class,
        HashMap.class,
        LinkedHashMap.class,
        Optional.class,
        int[].class,
        long[].class,
        float[].class,
        double[].class,
        byte[].class,
        String[].class,
        boolean[].class);
  }

  /** Classes of the JDK's immutable sets, which have no public names. */
  private static final class Set0 {
    static final Class<?> SET1 = java.util.Set.of(1).getClass();
    static final Class<?> SETN = java.util.Set.of(1, 2, 3).getClass();
  }

  private static Class<?> actorRefClass() {
    try {
      return Class.forName("org.apache.pekko.actor.typed.internal.adapter.ActorRefAdapter");
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("Pekko's typed ActorRef implementation moved", e);
    }
  }

  /** Writes typed actor refs as their serialization strings. */
  private static final class ActorRefSerializer extends Serializer<ActorRef<?>> {
    private final Optional<ActorRefResolver> resolver;

    ActorRefSerializer(Optional<ActorRefResolver> resolver) {
      super(false, true);
      this.resolver = resolver;
    }

    private ActorRefResolver resolver() {
      return resolver.orElseThrow(
          () -> new KryoException("actor refs need an actor system to be serialized"));
    }

    @Override
    public void write(Kryo kryo, Output output, ActorRef<?> ref) {
      output.writeString(resolver().toSerializationFormat(ref));
    }

    @Override
    public ActorRef<?> read(Kryo kryo, Input input, Class<? extends ActorRef<?>> type) {
      return resolver().resolveActorRef(input.readString());
    }
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public boolean includeManifest() {
    return false;
  }

  @Override
  public byte[] toBinary(Object o) {
    Kryo kryo = pool.obtain();
    try (Output out = new Output(256, -1)) {
      kryo.writeClassAndObject(out, o);
      byte[] bytes = out.toBytes();
      meters.written(bytes.length);
      return bytes;
    } finally {
      pool.free(kryo);
    }
  }

  @Override
  public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
    meters.read(bytes.length);
    Kryo kryo = pool.obtain();
    try (Input in = new Input(bytes)) {
      return kryo.readClassAndObject(in);
    } catch (KryoException e) {
      throw new IllegalArgumentException(
          new NotSerializableException("malformed Kryo message: " + e.getMessage()));
    } finally {
      pool.free(kryo);
    }
  }
}
