package dev.longdpo.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /**
   * The concrete classes under {@code dev.longdpo.protocol} in this module's compiled output (a
   * directory when the module's own tests run, a jar otherwise) that implement a marker. Found by
   * listing class files rather than by a list kept by hand, which is what would go stale.
   */
  static Set<String> messageTypes() throws IOException, URISyntaxException, ClassNotFoundException {
    Path location = Path.of(KryoMessage.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Set<String> out = new TreeSet<>();
    try (FileSystem jar = Files.isDirectory(location) ? null : FileSystems.newFileSystem(location)) {
      Path root = jar == null ? location : jar.getPath("/");
      Path pkg = root.resolve("dev/longdpo/protocol");
      try (Stream<Path> files = Files.walk(pkg)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
          String relative = root.relativize(f).toString().replace('\\', '/');
          String name = relative.substring(0, relative.length() - ".class".length()).replace('/', '.');
          if (name.endsWith("package-info")) {
            continue;
          }
          // Not initialized: only the type's shape is needed.
          Class<?> c = Class.forName(name, false, KryoMessage.class.getClassLoader());
          boolean message = WireMessage.class.isAssignableFrom(c) || KryoMessage.class.isAssignableFrom(c);
          // An enum whose constants have bodies is abstract but still a message type; the bodies
          // themselves are anonymous classes and stand for their enum.
          boolean concrete = c.isEnum() || !c.isInterface() && !Modifier.isAbstract(c.getModifiers());
          if (message && concrete && !c.isAnonymousClass() && !c.isSynthetic()) {
            out.add(c.getName());
          }
        }
      }
    }
    assertThat(out).as("message types found in %s", location).isNotEmpty();
    return out;
  }
}
