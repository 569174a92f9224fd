package dev.longdpo.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The coordinator knows no testbed and no model: it works on task specs, and the backends it
 * searches with (owned by actors) bring their own models. Maven cannot state this: actors needs
 * both, so they are on the coordinator's classpath all the same.
 */
class ModuleBoundaryTest {

  @Test
  void noCoordinatorSourceNamesTheTestbedOrTheModel() throws IOException {
    Path main = Path.of("src/main/java");
    assertThat(main).isDirectory();
    List<String> offending = new ArrayList<>();
    try (Stream<Path> files = Files.walk(main)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          if (lines.get(i).matches(".*\\bdev\\.longdpo\\.(testbed|model)\\..*")) {
            offending.add(f + ":" + (i + 1) + ": " + lines.get(i).strip());
          }
        }
      }
    }
    assertThat(offending).isEmpty();
  }
}
