package dev.longdpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longdpo.cli.node.ClusterWaits;
import dev.longdpo.cli.node.NodeProcess;
import dev.longdpo.coordinator.run.PairLog;
import dev.longdpo.protocol.pairs.PreferencePair;
import dev.longdpo.testbed.task.TaskFile;
import dev.longdpo.testbed.task.TaskGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real cluster: four node JVMs of this build on loopback, driven with {@code longdpo ctl}. Runs
 * survive {@code kill -9} of a search node and of the run manager's node, with the same pairs as
 * an undisturbed run; bad control calls get one line and their documented exit code.
 *
 * <p>Faults are injected at points the test controls, never after a sleep: a hooked search node
 * stops answering after some expansions of its run, a hooked coordinator stops starting trees
 * after some trees; each writes a marker file, and the test kills the node once the marker is
 * there. Assertions read the run directories.
 *
 * <p>Layout: n1 coordinator (the run manager: oldest), n2 search, n3 coordinator+search, n4 search
 * with a control token. Losing n2, then n1, leaves a majority each time (3 of 4, then 2 of 3); n4
 * then leaves on SIGTERM (a graceful leave needs no majority).
 */
class ClusterIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration UP = Duration.ofSeconds(90);
  private static final Duration HELD = Duration.ofSeconds(60);
  /**
   * The scripted search: 24 prompts, small trees, four at once. Hooked nodes hold after 2
   * expansions: with 24 trees over the search nodes, a node gets none once in more than 10,000
   * runs.
   */
  private static final String SETTINGS = "k = 2\nrollouts = 4\ntrees-in-flight = 4\n";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @RegisterExtension
  final NodeJvms nodes = new NodeJvms();

  @Test
  void runsSurviveKillNineOfASearchNodeAndOfTheManagersNode() throws Exception {
    Path root = dir.resolve("root");
    Path prompts = dir.resolve("prompts.jsonl");
    TaskFile.write(prompts, new TaskGenerator(11).generateMix(new int[] {6, 6, 4, 4}, 4));
    Path settings = Files.writeString(dir.resolve("search.conf"), SETTINGS);
    Path token = Files.writeString(dir.resolve("token"), "a-token-of-at-least-16-chars\n");
    Path wrongToken = Files.writeString(dir.resolve("wrong-token"), "another-token-of-16-chars\n");

    NodeProcess n1 = start("n1", root, "coordinator", null,
        "--set", "longdpo.node.hooks.run=kill-manager", "--set", "longdpo.node.hooks.hold-after-trees=3");
    String seed = "127.0.0.1:" + n1.awaitUp(UP).clusterPort();
    NodeProcess n2 = start("n2", root, "search", seed,
        "--set", "longdpo.node.hooks.run=kill-search", "--set", "longdpo.node.hooks.hold-after-expansions=2");
    NodeProcess n3 = start("n3", root, "coordinator,search", seed);
    NodeProcess n4 = start("n4", root, "search", seed, "--token-file", token.toString(),
        "--set", "longdpo.node.hooks.run=leave-search", "--set", "longdpo.node.hooks.hold-after-expansions=2");
    String e1 = n1.awaitUp(UP).control();
    String e3 = n3.awaitUp(UP).control();
    String e4 = n4.awaitUp(UP).control();
    n2.awaitUp(UP);
    assertThat(ctl("--endpoint", e1, "nodes").out()).contains("(run manager)").contains(n1.awaitUp(UP).address());

    // A node of another build (one Kryo id differs) is refused at join, with a message on both sides.
    NodeProcess other = start("other-build", root, "search", seed,
        "--set", "longdpo.protocol.kryo-registrations.\"dev.longdpo.protocol.search.TaskSpec\"=251");
    assertThat(other.process().waitFor(60, TimeUnit.SECONDS)).as("the refused node exits").isTrue();
    assertThat(other.process().exitValue()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(Files.readString(other.output())).contains("was refused by the cluster").contains("another build");
    assertThat(Files.readString(root.resolve("nodes/n1.log"))).contains("longdpo.node.build-id is incompatible");
    assertThat(ctl("--endpoint", e1, "nodes").out().strip().lines()).hasSize(4);

    // Bad calls: one line, a documented exit code, nothing left on disk.
    assertFails(ctl("--endpoint", "127.0.0.1:1", "runs"), ExitCodes.UNREACHABLE, "cannot reach the control endpoint");
    assertFails(ctl("--endpoint", e4, "runs"), ExitCodes.REFUSED, "requires a token");
    assertFails(ctl("--endpoint", e4, "--token-file", wrongToken.toString(), "runs"), ExitCodes.REFUSED, "wrong token");
    assertThat(ctl("--endpoint", e4, "--token-file", token.toString(), "runs").exitCode()).isZero();
    assertFails(ctl("--endpoint", e1, "status", "no-such-run"), ExitCodes.UNKNOWN_RUN, "no run 'no-such-run'");
    Path malformed = Files.writeString(dir.resolve("bad.jsonl"),
        Files.readString(prompts).lines().findFirst().orElseThrow() + "\n{\"id\": \"x\", \"prompt\n");
    assertFails(ctl("--endpoint", e1, "submit", "--testing-policy", "--prompts", malformed.toString()),
        ExitCodes.BAD_INPUT, malformed + ":2:");
    assertThat(runDirectories(root)).isEmpty();

    // An undisturbed run; a repeated submit under its id is the same run.
    String base = submit(e1, "base", prompts, settings);
    assertThat(submit(e1, "base", prompts, settings)).isEqualTo("base");
    assertFails(ctl("--endpoint", e1, "submit", "--testing-policy", "--id", "base", "--prompts", prompts.toString()),
        ExitCodes.BAD_INPUT, "another request");
    assertThat(ctl("--endpoint", e1, "wait", "--timeout", "120s", base).exitCode()).isZero();

    // kill -9 of a search node while its trees wait on it: they move to the other search nodes.
    submit(e1, "kill-search", prompts, settings);
    ClusterWaits.awaitFile(root.resolve("hooks/kill-search.search-held"), HELD);
    // While it is held, later runs queue: one is cancelled, one stopped, and wait says so.
    submit(e1, "queued-a", prompts, settings);
    submit(e1, "queued-b", prompts, settings);
    assertThat(ctl("--endpoint", e1, "status", "--json", "queued-a").out()).contains("\"phase\": \"QUEUED\"");
    assertThat(ctl("--endpoint", e1, "cancel", "queued-a").exitCode()).isZero();
    assertThat(ctl("--endpoint", e1, "stop", "queued-b").exitCode()).isZero();
    assertFails(ctl("--endpoint", e1, "wait", "queued-a"), ExitCodes.RUN_NOT_DONE, "");
    assertThat(state(root, "queued-a").get("phase").asText()).isEqualTo("CANCELLED");
    assertThat(state(root, "queued-b").get("phase").asText()).isEqualTo("STOPPED");
    n2.kill();
    n2.process().waitFor(30, TimeUnit.SECONDS);
    CliRunner.Result waited = ctl("--endpoint", e1, "wait", "--timeout", "120s", "kill-search");
    assertThat(waited.exitCode()).as(waited.err()).isZero();
    assertThat(state(root, "kill-search").get("treesRerun").asInt()).as("trees re-routed").isPositive();

    // Separate failures: the next one once the dead node is removed (the resolver downs every node
    // when reachability keeps changing for longer than it allows).
    ClusterWaits.awaitMembers(e1, 3, HELD);

    // kill -9 of the run manager's node mid-run: the singleton moves to n3 and finishes the run.
    submit(e3, "kill-manager", prompts, settings);
    ClusterWaits.awaitFile(root.resolve("hooks/kill-manager.coordinator-held"), HELD);
    int completedBefore = PairLog.readOnly(root.resolve("runs/kill-manager/pairs.log")).completed().size();
    assertThat(completedBefore).as("trees done when the manager's node dies").isBetween(3, 23);
    n1.kill();
    waited = ctl("--endpoint", e3, "wait", "--timeout", "120s", "kill-manager");
    assertThat(waited.exitCode()).as(waited.err()).isZero();
    assertThat(Files.readString(root.resolve("manager.epoch"))).as("the manager moved once").startsWith("2 ");

    // SIGTERM of a search node holding trees: it stops its workers and leaves; the trees move.
    ClusterWaits.awaitMembers(e3, 2, HELD);
    submit(e3, "leave-search", prompts, settings);
    ClusterWaits.awaitFile(root.resolve("hooks/leave-search.search-held"), HELD);
    n4.terminate();
    assertThat(n4.process().waitFor(60, TimeUnit.SECONDS)).as("n4 exits after SIGTERM").isTrue();
    assertThat(n4.process().exitValue()).as("the status of a process ended by SIGTERM").isEqualTo(143);
    assertThat(Files.readString(root.resolve("nodes/n4.log"))).contains("run leave-search: workers stopped");
    waited = ctl("--endpoint", e3, "wait", "--timeout", "120s", "leave-search");
    assertThat(waited.exitCode()).as(waited.err()).isZero();

    List<String> expected = canonicalPairs(root, "base");
    assertThat(expected).hasSizeGreaterThan(50);
    for (String run : List.of("kill-search", "kill-manager", "leave-search")) {
      List<PreferencePair> raw = PairLog.pairRecords(root.resolve("runs").resolve(run).resolve("pairs.log"));
      Set<String> ids = new HashSet<>();
      for (PreferencePair p : raw) {
        assertThat(ids.add(p.pairId())).as("%s: pair id %s written once", run, p.pairId()).isTrue();
      }
      assertThat(canonicalPairs(root, run)).as("%s: the pairs of an undisturbed run", run).isEqualTo(expected);
      assertThat(PairLog.readOnly(root.resolve("runs").resolve(run).resolve("pairs.log")).completed()).hasSize(24);
      assertThat(state(root, run).get("phase").asText()).isEqualTo("DONE");
    }
  }

  private NodeProcess start(String name, Path root, String roles, String seed, String... extra) throws IOException {
    return nodes.start(dir, name, "384m", root, roles, seed, extra);
  }

  private static CliRunner.Result ctl(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "ctl";
    System.arraycopy(args, 0, all, 1, args.length);
    return CliRunner.run(all);
  }

  private static String submit(String endpoint, String id, Path prompts, Path settings) {
    CliRunner.Result r = ctl("--endpoint", endpoint, "submit", "--testing-policy", "--id", id, "--prompts",
        prompts.toString(), "--settings", settings.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    return r.out().trim();
  }

  private static void assertFails(CliRunner.Result r, int code, String message) {
    assertThat(r.exitCode()).as(r.err()).isEqualTo(code);
    assertThat(r.err()).contains(message);
    assertThat(r.err().strip().lines().count()).as("one line: %s", r.err()).isEqualTo(1);
  }

  private static List<String> runDirectories(Path root) throws IOException {
    Path runs = root.resolve("runs");
    if (!Files.exists(runs)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(runs)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static JsonNode state(Path root, String run) throws IOException {
    return JSON.readTree(Files.readString(root.resolve("runs").resolve(run).resolve("state.json"), StandardCharsets.UTF_8));
  }

  /** Every pair of a run as text, with the run id taken out, sorted. */
  private static List<String> canonicalPairs(Path root, String run) throws IOException {
    List<String> out = new ArrayList<>();
    for (PreferencePair p : PairLog.readOnly(root.resolve("runs").resolve(run).resolve("pairs.log")).pairs()) {
      out.add(p.toString().replace(run, "RUN"));
    }
    out.sort(null);
    return out;
  }
}
