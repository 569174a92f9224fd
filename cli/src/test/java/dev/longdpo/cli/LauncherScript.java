package dev.longdpo.cli;

import dev.longdpo.model.runtime.SiblingJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code bin/longdpo-java} (what ./longdpo and the Docker image run) with a stand-in
 * {@code java} first on the PATH, which prints the malloc environment and the arguments it was
 * given: what the real JVM would have started with, without starting one.
 */
public final class LauncherScript {

  /** The repository's run script. */
  public static final Path SCRIPT = Path.of("..", "bin", "longdpo-java").toAbsolutePath().normalize();

  private static final String FAKE_JAVA = """
      #!/bin/sh
      env | grep -E '^(MALLOC_[A-Z_]*|GLIBC_TUNABLES)=' | sed 's/^/ENV /'
      for a in "$@"; do printf 'ARG %s\\n' "$a"; done
      """;

  /** What the script would have started java with. */
  public record Launch(int exitCode, Map<String, String> malloc, List<String> javaArgs, String stderr) {

    /** The arguments given to the main class. */
    public List<String> programArgs() {
      int main = javaArgs.indexOf("dev.longdpo.cli.Main");
      return main < 0 ? List.of() : javaArgs.subList(main + 1, javaArgs.size());
    }
  }

  private LauncherScript() {}

  /** The malloc environment a process that decodes starts with: the launcher's settings alone. */
  public static Map<String, String> launcherSettings() {
    Map<String, String> env = new HashMap<>();
    SiblingJvm.putLauncherMallocSettings(env);
    return env;
  }

  /** The malloc environment a trainer-only process starts with. */
  public static Map<String, String> trainingSettings() {
    Map<String, String> env = new HashMap<>();
    SiblingJvm.putTrainingMallocSettings(env);
    return env;
  }

  /**
   * Runs the script in a directory of {@code scratch} with {@code env} added to an environment
   * without malloc settings (the test's own JVM may have some).
   */
  public static Launch run(Path scratch, Map<String, String> env, List<String> args)
      throws IOException, InterruptedException {
    Path bin = Files.createTempDirectory(scratch, "fake-java");
    Path java = bin.resolve("java");
    Files.writeString(java, FAKE_JAVA);
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> processEnv = pb.environment();
    processEnv.keySet().removeIf(k -> k.startsWith("MALLOC_") || k.equals("GLIBC_TUNABLES")
        || k.equals("LONGDPO_JAVA_OPTS") || k.equals("LONGDPO_CLASSPATH"));
    processEnv.put("PATH", bin + ":" + processEnv.getOrDefault("PATH", "/usr/bin:/bin"));
    processEnv.putAll(env);
    Path err = bin.resolve("stderr");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = p.waitFor();
    Map<String, String> malloc = new HashMap<>();
    List<String> javaArgs = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (line.startsWith("ENV ")) {
        String kv = line.substring(4);
        int eq = kv.indexOf('=');
        malloc.put(kv.substring(0, eq), kv.substring(eq + 1));
      } else if (line.startsWith("ARG ")) {
        javaArgs.add(line.substring(4));
      }
    }
    return new Launch(code, malloc, javaArgs, Files.readString(err));
  }
}
