package dev.longdpo.cli.node;

import dev.longdpo.model.runtime.SiblingJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code longdpo node} process started from this JVM's own class path, its output in a file. Its
 * "up" line gives its address and ports.
 */
public final class NodeProcess {

  private static final Pattern UP = Pattern.compile(Pattern.quote(NodeCommand.UP_PREFIX)
      + " (\\S+) roles=(\\S+) cluster-port=(\\d+) control=(\\S+) log=(\\S+) pid=(\\d+) metrics=(\\S+) management=(\\S+)");

  /**
   * What a node printed when it was Up; {@code metrics} and {@code management} are its Prometheus
   * and health endpoints' host:port ("none": off).
   */
  public record Up(String address, String roles, int clusterPort, String control, String log, String metrics,
      String management) {}

  private final Process process;
  private final Path output;
  private Up up;

  private NodeProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  /**
   * Starts {@code longdpo args} in a JVM of its own with the Parallel collector (as ./longdpo).
   *
   * @param jvmOptions extra JVM options (heap, system properties)
   */
  public static NodeProcess start(Path output, List<String> jvmOptions, List<String> args) throws IOException {
    return start(output, jvmOptions, args, SiblingJvm::putLauncherMallocSettings);
  }

  private static NodeProcess start(Path output, List<String> jvmOptions, List<String> args,
      Consumer<Map<String, String>> malloc) throws IOException {
    List<String> command = SiblingJvm.command(jvmOptions, "dev.longdpo.cli.Main", args);
    Files.createDirectories(output.toAbsolutePath().getParent());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    malloc.accept(pb.environment());
    return new NodeProcess(pb.start(), output);
  }

  /**
   * Whether a node of these roles (comma-separated) only trains: it then runs with training's
   * malloc settings, as {@code ./longdpo node} gives it (the launcher applies the same rule).
   */
  public static boolean trainsOnly(String roles) {
    return Arrays.stream(roles.split(",")).map(String::trim).allMatch("trainer"::equals);
  }

  /**
   * Starts {@code longdpo node} on loopback with any free cluster and control port, its output in
   * {@code dir/<name>.out}. A node that only trains gets training's malloc settings.
   *
   * @param seed host:port to join, or null to start a cluster
   * @param extra further node options ({@code --set key=value}, {@code --token-file F})
   */
  public static NodeProcess startNode(Path dir, String name, String heap, Path runRoot, String roles, String seed,
      String... extra) throws IOException {
    List<String> args = new ArrayList<>(List.of("node", "--roles", roles, "--port", "0", "--control-port", "0",
        "--run-root", runRoot.toString(), "--name", name));
    if (seed != null) {
      args.addAll(List.of("--seed-nodes", seed));
    }
    args.addAll(List.of(extra));
    return start(dir.resolve(name + ".out"), List.of("-Xmx" + heap), args,
        trainsOnly(roles) ? SiblingJvm::putTrainingMallocSettings : SiblingJvm::putLauncherMallocSettings);
  }

  /**
   * Waits for the node's "up" line. Watches the output file: the line is there or the process
   * exited (then its output says why).
   */
  public Up awaitUp(Duration timeout) throws IOException {
    if (up != null) {
      return up;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String text = Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
      Matcher m = UP.matcher(text);
      if (m.find()) {
        up = new Up(m.group(1), m.group(2), Integer.parseInt(m.group(3)), m.group(4), m.group(5), m.group(7), m.group(8));
        return up;
      }
      if (!process.isAlive()) {
        throw new IOException("node (" + output + ") exited with " + process.exitValue() + " before it was up:\n" + tail(text));
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("node (" + output + ") not up within " + timeout.toSeconds() + " s:\n" + tail(text));
      }
      try {
        process.waitFor(100, TimeUnit.MILLISECONDS); // returns early if it exits
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }

  private static String tail(String text) {
    return text.length() < 4000 ? text : text.substring(text.length() - 4000);
  }

  public long pid() {
    return process.pid();
  }

  public Path output() {
    return output;
  }

  public Process process() {
    return process;
  }

  /** kill -9. */
  public void kill() {
    process.destroyForcibly();
  }

  /** SIGTERM: the node leaves through coordinated shutdown. */
  public void terminate() {
    process.destroy();
  }
}
