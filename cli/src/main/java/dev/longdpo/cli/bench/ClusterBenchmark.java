package dev.longdpo.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longdpo.bench.BenchReporter;
import dev.longdpo.bench.Benchmark;
import dev.longdpo.bench.search.SearchFixtures;
import dev.longdpo.cli.CommandLineFactory;
import dev.longdpo.cli.node.ClusterWaits;
import dev.longdpo.cli.node.NodeProcess;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.config.files.AtomicDirectory;
import dev.longdpo.testbed.task.TaskFile;
import dev.longdpo.testbed.task.TaskGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * P4x: the search split over node JVMs. The same run (a random model of the base's shape, 16
 * testbed prompts) is searched by one node holding both roles, then by a coordinator node and a
 * search node; the figure is the ratio of their pairs/s, each from the run's own summary. Then it
 * reports how long failover takes with this build's failure-detector settings (node.conf): from
 * kill -9 of a search node holding trees to its trees being sent elsewhere, and from kill -9 of
 * the run manager's node to the manager answering again from another node.
 */
public final class ClusterBenchmark implements Benchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration UP = Duration.ofSeconds(120);
  private static final Pattern LOG_TIME = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*is gone; sending", Pattern.MULTILINE);

  private final List<NodeProcess> nodes = new ArrayList<>();

  @Override
  public String id() {
    return "P4x";
  }

  @Override
  public String description() {
    return "the search with coordinator and search worker in two node JVMs against one; failover times";
  }

  @Override
  public void run(BenchReporter reporter) throws Exception {
    Path dir = Files.createTempDirectory("longdpo-bench-cluster");
    try {
      Path model = dir.resolve("model");
      try (LanguageModel m = SearchFixtures.randomTestbedModel()) {
        m.save(model);
      }
      Path prompts = dir.resolve("prompts.jsonl");
      TaskFile.write(prompts, new TaskGenerator(3).generateMix(new int[] {4, 4, 4, 4}, 0));
      Path settings = Files.writeString(dir.resolve("search.conf"), "k = 4\nrollouts = 4\n");

      NodeProcess solo = start(dir, "solo", dir.resolve("root-one"), "coordinator,search", null);
      String soloControl = solo.awaitUp(UP).control();
      double one = pairsPerSecond(soloControl, dir.resolve("root-one"), "one-jvm", model, prompts, settings);
      solo.terminate();
      solo.process().waitFor(60, TimeUnit.SECONDS);

      Path root = dir.resolve("root-two");
      NodeProcess coordinator = start(dir, "coordinator", root, "coordinator", null,
          "--set", "longdpo.node.hooks.run=failover-search");
      String seed = "127.0.0.1:" + coordinator.awaitUp(UP).clusterPort();
      NodeProcess worker = start(dir, "worker", root, "search", seed,
          "--set", "longdpo.node.hooks.run=failover-search", "--set", "longdpo.node.hooks.hold-after-expansions=8");
      worker.awaitUp(UP);
      String control = coordinator.awaitUp(UP).control();
      double two = pairsPerSecond(control, root, "two-jvms", model, prompts, settings);
      reporter.note(String.format(Locale.ROOT, "one JVM %.1f pairs/s, coordinator and search node in two JVMs %.1f pairs/s",
          one, two));
      reporter.figure("P4x.two_jvms_vs_one", two / one, "x");

      // Failover: a second coordinator+search node, then kill -9 of the hooked search node.
      NodeProcess spare = start(dir, "spare", root, "coordinator,search", seed);
      String spareControl = spare.awaitUp(UP).control();
      ctl("--endpoint", control, "submit", "--testing-policy", "--id", "failover-search", "--prompts", prompts.toString(),
          "--settings", settings.toString());
      ClusterWaits.awaitFile(root.resolve("hooks/failover-search.search-held"), UP);
      LocalTime killed = LocalTime.now();
      worker.kill();
      ctl("--endpoint", control, "wait", "--timeout", "120s", "failover-search");
      LocalTime moved = firstReroute(root.resolve("nodes/coordinator.log"));
      reporter.figure("P4x.search_node_failover_s", Duration.between(killed, moved).toMillis() / 1000.0, "s");
      // A third member, so that losing the manager's node leaves a majority (2 of 3).
      start(dir, "search2", root, "search", seed).awaitUp(UP);
      ClusterWaits.awaitMembers(control, 3, UP);

      long t0 = System.nanoTime();
      coordinator.kill();
      long deadline = t0 + UP.toNanos();
      while (ctlCode("--endpoint", spareControl, "runs") != 0) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the run manager did not answer on " + spareControl + " within " + UP);
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
      reporter.figure("P4x.manager_failover_s", (System.nanoTime() - t0) / 1e9, "s");
      reporter.note("failure detector: acceptable-heartbeat-pause 4 s, split-brain-resolver stable-after 7 s (node.conf)");
    } finally {
      for (NodeProcess n : nodes) {
        n.kill();
      }
      AtomicDirectory.deleteRecursively(dir);
    }
  }

  private double pairsPerSecond(String control, Path root, String id, Path model, Path prompts, Path settings)
      throws Exception {
    ctl("--endpoint", control, "submit", "--model", model.toString(), "--id", id, "--prompts", prompts.toString(),
        "--settings", settings.toString());
    ctl("--endpoint", control, "wait", "--timeout", "600s", id);
    JsonNode summary = JSON.readTree(Files.readString(root.resolve("runs").resolve(id).resolve("summary.json")));
    return summary.get("pairs").asDouble() / summary.get("seconds").asDouble();
  }

  private NodeProcess start(Path dir, String name, Path root, String roles, String seed, String... extra)
      throws IOException {
    NodeProcess p = NodeProcess.startNode(dir, name, "768m", root, roles, seed, extra);
    nodes.add(p);
    return p;
  }

  private static void ctl(String... args) {
    StringWriter err = new StringWriter();
    int code = run(err, args);
    if (code != 0) {
      throw new IllegalStateException("ctl " + String.join(" ", args) + " exited with " + code + ": " + err);
    }
  }

  private static int ctlCode(String... args) {
    return run(new StringWriter(), args);
  }

  private static int run(StringWriter err, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "ctl";
    System.arraycopy(args, 0, all, 1, args.length);
    return CommandLineFactory.create(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true)).execute(all);
  }

  private static LocalTime firstReroute(Path log) throws IOException {
    Matcher m = LOG_TIME.matcher(Files.readString(log));
    if (!m.find()) {
      throw new IllegalStateException(log + ": no tree was re-routed");
    }
    return LocalTime.parse(m.group(1));
  }
}
