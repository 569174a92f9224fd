package dev.longdpo.cli;

import static dev.longdpo.cli.LauncherScript.launcherSettings;
import static dev.longdpo.cli.LauncherScript.trainingSettings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.longdpo.cli.LauncherScript.Launch;
import dev.longdpo.cli.node.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/longdpo-java, the JVM's start in ./longdpo and in the Docker image: which malloc settings
 * a command gets (glibc reads them only when the process starts, so no Java code can fix them
 * later), the JVM options, and the image's use of it.
 */
class LauncherScriptTest {

  private static final Map<String, String> CLASSPATH = Map.of("LONGDPO_CLASSPATH", "/opt/x.jar:/opt/lib/*");

  @TempDir Path scratch;

  private Launch run(String... args) throws Exception {
    Launch launch = LauncherScript.run(scratch, CLASSPATH, List.of(args));
    assertThat(launch.exitCode()).as(launch.stderr()).isZero();
    return launch;
  }

  @Test
  void aNodeWhoseRolesAreAllTrainerStartsWithTrainingsSettingsAsTheJavaRuleSays() throws Exception {
    String[][] trainerOnly = {
        {"node", "--roles", "trainer"},
        {"node", "--roles=trainer,trainer", "--port", "0"},
        {"--set", "a=b", "--config", "node", "node", "--hostname", "h", "--roles", "trainer"},
        {"node", "--roles", "trainer", "--roles", "trainer"},
    };
    for (String[] args : trainerOnly) {
      assertThat(run(args).malloc()).as(String.join(" ", args)).isEqualTo(trainingSettings());
    }
    String[][] decodes = {
        {"node", "--roles", "search,trainer"},
        {"node", "--roles", "trainer", "--roles", "evaluator"},
        {"node"},
        {"demo", "--roles", "trainer"},
        {"--set", "node", "demo"},
        {"pretrain"},
    };
    for (String[] args : decodes) {
      assertThat(run(args).malloc()).as(String.join(" ", args)).isEqualTo(launcherSettings());
    }
    // The bash rule and NodeProcess's (which starts node JVMs itself) agree.
    for (String roles : List.of("trainer", "trainer,trainer", "search,trainer", "trainer,evaluator", "coordinator")) {
      boolean training = run("node", "--roles", roles).malloc().equals(trainingSettings());
      assertThat(training).as(roles).isEqualTo(NodeProcess.trainsOnly(roles));
    }
  }

  @Test
  void theCallersSettingsAndJvmOptionsWin() throws Exception {
    Map<String, String> env = new HashMap<>(CLASSPATH);
    env.put("MALLOC_MMAP_THRESHOLD_", "1048576");
    env.put("LONGDPO_JAVA_OPTS", "-Xmx2g -Dx=y");
    Launch trainer = LauncherScript.run(scratch, env, List.of("node", "--roles", "trainer"));
    assertThat(trainer.malloc()).containsEntry("MALLOC_MMAP_THRESHOLD_", "1048576")
        .containsEntry("MALLOC_TOP_PAD_", trainingSettings().get("MALLOC_TOP_PAD_"));
    List<String> args = trainer.javaArgs();
    // The collector that keeps training bit-reproducible, the heap cap, then the caller's options.
    assertThat(args).contains("-XX:+UseParallelGC", "-Djava.awt.headless=true");
    assertThat(args.indexOf("-Xmx2g")).isGreaterThan(args.indexOf("-Xmx512m"));
    assertThat(args).containsSubsequence("-cp", "/opt/x.jar:/opt/lib/*", "dev.longdpo.cli.Main");
    assertThat(trainer.programArgs()).containsExactly("node", "--roles", "trainer");
  }

  @Test
  void withoutAClassPathItSaysWhatIsMissingAndStartsNothing() throws Exception {
    Launch launch = LauncherScript.run(scratch, Map.of(), List.of("demo"));
    assertThat(launch.exitCode()).isEqualTo(2);
    assertThat(launch.stderr()).contains("LONGDPO_CLASSPATH");
    assertThat(launch.javaArgs()).isEmpty();
  }

  @Test
  void theDockerImageStartsThroughTheScriptOnTheLibrariesItCopies() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("..", "deploy", "docker", "Dockerfile"));
    assertThat(lines).contains("COPY bin/longdpo-java ./bin/", "ENTRYPOINT [\"/opt/longdpo/bin/longdpo-java\"]");
    assertThat(lines).anyMatch(l -> l.startsWith("WORKDIR /opt/longdpo"))
        .anyMatch(l -> l.startsWith("COPY cli/target/longdpo-cli.jar cli/target/lib/ ./lib/"))
        .anyMatch(l -> l.startsWith("ENV ") && l.contains("LONGDPO_CLASSPATH=/opt/longdpo/lib/*"));
    // Malloc settings come from the script, by role; set in the image they would apply to every node.
    assertThat(lines).noneMatch(l -> l.startsWith("ENV") && l.contains("MALLOC_"));
  }
}
