package dev.longdpo.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.longdpo.protocol.KryoMessage;
import dev.longdpo.protocol.SerializationHarness;
import dev.longdpo.protocol.WireMessage;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
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
    assertThat(messageTypes()).containsExactly(RunSummary.class.getName());
  }

  /** The concrete classes of this module's compiled output that implement a message marker. */
  private static Set<String> messageTypes() throws Exception {
    Path root = Path.of(RunSummary.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Set<String> out = new TreeSet<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String relative = root.relativize(f).toString().replace('\\', '/');
        String name = relative.substring(0, relative.length() - ".class".length()).replace('/', '.');
        if (name.endsWith("package-info")) {
          continue;
        }
        Class<?> c = Class.forName(name, false, RunSummary.class.getClassLoader());
        boolean message = WireMessage.class.isAssignableFrom(c) || KryoMessage.class.isAssignableFrom(c);
        if (message && !c.isInterface() && !Modifier.isAbstract(c.getModifiers()) && !c.isAnonymousClass()) {
          out.add(name);
        }
      }
    }
    return out;
  }
}
