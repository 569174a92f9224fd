package dev.longdpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.longdpo.cli.node.ClusterWaits;
import dev.longdpo.cli.node.NodeProcess;
import dev.longdpo.coordinator.run.PairLog;
import dev.longdpo.protocol.pairs.PreferencePair;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's whole job on a cluster ({@code ctl submit --testbed --quick}) and in one JVM ({@code
 * longdpo demo --quick}, a cluster of one): node JVMs on loopback, a tiny testbed base pretrained
 * on the manager's node, the quick mode shrunk to a handful of prompts.
 *
 * <p>{@code ctl top} shows every node with its role's rates while the search runs, and the killed
 * node unreachable, then gone. Every node's Prometheus endpoint is scraped while the run holds and after it: JVM and process
 * meters, the cluster as each node sees it, the search's pairs on the manager's node (exactly the
 * pair log's), the trainers' steps and the evaluator's last scores where they ran.
 *
 * <p>On the cluster the outcome baseline's trainer is killed with {@code kill -9} right after its
 * step-2 checkpoint (a hook holds it there): the variant moves to the other trainer node and
 * resumes from that checkpoint on its own pair log, every step taken once, and the run ends DONE
 * with its report. The demo then runs the same job in one process over the same cached base:
 * same prompts, settings, held-out tasks and outcome pairs, and a report of the same shape.
 */
class DemoJobIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration UP = Duration.ofSeconds(90);
  private static final Duration HELD = Duration.ofSeconds(240);
  private static final int HOLD_AT_STEP = 2;

  /**
   * A base of a few seconds' pretraining (as PretrainDeterminismIT's) and the quick mode at a few
   * prompts, checkpointing every 2 steps so the baseline has a checkpoint to resume from.
   */
  private static final List<String> SMALL = List.of(
      "longdpo.testbed.corpus.documents=60",
      "longdpo.testbed.tokenizer.max-vocabulary=512",
      "longdpo.testbed.base-model.hidden-size=32",
      "longdpo.testbed.base-model.intermediate-size=64",
      "longdpo.testbed.base-model.layers=2",
      "longdpo.testbed.pretrain.epochs=1",
      "longdpo.testbed.pretrain.batch-tokens=512",
      "longdpo.testbed.pretrain.heldout-documents=10",
      "longdpo.testbed.pretrain.sample-tasks=0",
      "longdpo.demo.quick.train-prompts=[2,2,1,1]",
      "longdpo.demo.quick.train-sectioned=1",
      "longdpo.demo.quick.eval-plain-tasks=6",
      "longdpo.demo.quick.eval-sectioned-tasks=2",
      "longdpo.demo.quick.checkpoint-every=" + HOLD_AT_STEP);

  private static final List<String> RUN_FILES = List.of("prompts.jsonl", "eval-prompts.jsonl", "search.conf",
      "train.conf", "eval.conf", "outcome.conf", "outcome/plan.json");

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  /** The metric (sample) names of every scrape so far. */
  private final java.util.Set<String> exported = new java.util.HashSet<>();

  @RegisterExtension
  final NodeJvms nodes = new NodeJvms();

  @Test
  void theDemosJobRunsOnAClusterSurvivesItsBaselineTrainersDeathAndIsTheDemosJob() throws Exception {
    Path root = dir.resolve("root");
    Path home = Files.createDirectories(dir.resolve("home"));
    NodeProcess n1 = start("n1", root, home, "coordinator,search", null);
    String seed = "127.0.0.1:" + n1.awaitUp(UP).clusterPort();
    String[] hooks = {"--set", "longdpo.node.hooks.run=demo-job", "--set",
        "longdpo.node.hooks.hold-at-trainer-step=" + HOLD_AT_STEP, "--set", "longdpo.node.hooks.hold-trainer-variant=dpo"};
    NodeProcess n2 = start("n2", root, home, "trainer,evaluator", seed, hooks);
    NodeProcess n3 = start("n3", root, home, "trainer,evaluator", seed, hooks);
    String control = n1.awaitUp(UP).control();
    n2.awaitUp(UP);
    n3.awaitUp(UP);
    ClusterWaits.awaitMembers(control, 3, UP);

    CliRunner.Result both = ctl("--endpoint", control, "submit", "--testbed", "--quick", "--train");
    assertThat(both.exitCode()).as(both.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(both.err()).contains("the demo's job (--testbed without --prompts) trains its own variants");

    CliRunner.Result submitted = ctl("--endpoint", control, "submit", "--testbed", "--quick", "--id", "demo-job");
    assertThat(submitted.exitCode()).as(submitted.err()).isZero();
    Path run = root.resolve("runs").resolve("demo-job");
    Path held = root.resolve("hooks").resolve("demo-job.trainer-held");
    // ctl top, asked of one node, shows every node with its roles and its role's rates while the
    // search and the stepwise trainer run.
    boolean[] seen = new boolean[2]; // a second with expansions on the search node, one with steps on a trainer
    awaitTop(control, "a searching coordinator node and a training trainer node", top -> {
      for (JsonNode n : top.get("nodes")) {
        seen[0] |= n.get("roles").toString().contains("search") && n.path("rates").path("expansions").asDouble() > 0;
        seen[1] |= n.get("roles").toString().contains("trainer") && n.path("rates").path("steps longdpo").asDouble() > 0;
      }
      return top.get("nodes").size() == 3 && seen[0] && seen[1];
    });
    ClusterWaits.awaitFile(held, HELD);
    String heldOn = Files.readString(held).strip();
    NodeProcess victim = heldOn.equals(n2.awaitUp(UP).address()) ? n2 : n3;
    NodeProcess survivor = victim == n2 ? n3 : n2;

    // Every node's /metrics while the baseline's trainer holds (the search is over by then).
    long pairs = PairLog.readOnly(run.resolve("pairs.log")).pairs().size();
    for (NodeProcess n : List.of(n1, n2, n3)) {
      String text = scrape(n);
      assertThat(text).contains("jvm_memory_used_bytes{").contains("jvm_threads_live_threads").contains("process_cpu_usage")
          .contains("system_load_average_1m").contains("process_uptime_seconds");
      assertThat(value(text, "longdpo_process_resident_memory_bytes", "")).isGreaterThan(50e6);
      assertThat(value(text, "longdpo_cluster_members", "status=\"up\"")).isEqualTo(3.0);
      assertThat(value(text, "longdpo_cluster_singleton_here", "")).isEqualTo(n == n1 ? 1.0 : 0.0);
      // Pekko Management's health endpoint: alive, ready (Up), and the members as this node sees them.
      String health = n.awaitUp(UP).management();
      assertThat(http(health, "/alive").statusCode()).isEqualTo(200);
      assertThat(http(health, "/ready").statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(http(health, "/cluster/members").body()).get("members").findValuesAsText("status"))
          .containsExactly("Up", "Up", "Up");
    }
    String manager = scrape(n1);
    assertThat(value(manager, "longdpo_search_pairs_total", "")).as("pairs written, as the log holds them")
        .isEqualTo((double) pairs);
    assertThat(value(manager, "longdpo_search_expansions_total", "")).isPositive();
    assertThat(value(manager, "longdpo_search_trees_completed_total", "")).isEqualTo(7.0);
    assertThat(value(manager, "longdpo_search_trees_in_flight", "")).isBetween(0.0,
        (double) ConfigFactory.parseFile(run.resolve("search.conf").toFile()).getInt("longdpo.search.trees-in-flight"));
    assertThat(value(manager, "longdpo_train_lag", "variant=\"longdpo\"")).isGreaterThanOrEqualTo(0.0);
    // Node-to-node traffic through our serializers: the pair stream leaves the manager's node.
    assertThat(sum(manager, "longdpo_serialized_bytes_total", "direction=\"out\"")).isPositive();
    assertThat(sum(scrape(victim), "longdpo_serialized_messages_total", "direction=\"in\"")).isPositive();
    assertThat(value(scrape(victim), "longdpo_train_steps_total", "variant=\"dpo\"")).isEqualTo(HOLD_AT_STEP);
    assertThat(http(victim.awaitUp(UP).metrics(), "/nothing").statusCode()).isEqualTo(404);

    victim.kill();
    victim.process().waitFor(30, TimeUnit.SECONDS);
    String victimAddress = victim.awaitUp(UP).address();
    awaitTop(control, "the killed node unreachable", top -> node(top, victimAddress) != null
        && !node(top, victimAddress).get("reachable").asBoolean());
    awaitTop(control, "the killed node downed and gone", top -> node(top, victimAddress) == null);
    CliRunner.Result waited = ctl("--endpoint", control, "wait", "--timeout", "600s", "demo-job");
    assertThat(waited.exitCode()).as(waited.err() + waited.out()).isZero();

    // The baseline resumed on the survivor from its step-2 checkpoint, on its own pair log.
    List<JsonNode> records = records(run.resolve("train/dpo.jsonl"));
    List<JsonNode> starts = records.stream().filter(r -> r.get("event").asText().equals("started")).toList();
    assertThat(starts).hasSize(2);
    assertThat(starts.get(0).get("node").asText()).isEqualTo(heldOn);
    assertThat(starts.get(1).get("node").asText()).isEqualTo(survivor.awaitUp(UP).address());
    assertThat(starts.get(1).get("resumed_from").asText()).isEqualTo("dpo-step-" + HOLD_AT_STEP);
    List<Long> steps = records.stream().filter(r -> r.get("event").asText().equals("step"))
        .map(r -> r.get("step").asLong()).toList();
    assertThat(steps).hasSizeGreaterThan(HOLD_AT_STEP)
        .isEqualTo(LongStream.rangeClosed(1, steps.get(steps.size() - 1)).boxed().toList());

    // Its pairs are a log of their own, and it trained on the stepwise variant's token budget.
    List<PreferencePair> outcome = PairLog.readOnly(run.resolve("outcome/pairs.log")).pairs();
    JsonNode plan = JSON.readTree(run.resolve("outcome/plan.json").toFile());
    int epochs = ConfigFactory.parseFile(run.resolve("train.conf").toFile()).getInt("longdpo.train.epochs");
    assertThat(plan.get("pairs").asInt()).isEqualTo(outcome.size()).isPositive();
    assertThat(plan.get("tokenBudget").asLong()).isEqualTo(epochs * tokens(PairLog.readOnly(run.resolve("pairs.log")).pairs()));
    JsonNode finished = records.stream().filter(r -> r.get("event").asText().equals("finished")).reduce((a, b) -> b)
        .orElseThrow();
    assertThat(finished.get("trained_tokens").asLong()).isGreaterThanOrEqualTo(plan.get("tokenBudget").asLong());

    // The quick mode's settings were applied at submit, and the report is in the run directory.
    assertThat(ConfigFactory.parseFile(run.resolve("search.conf").toFile()).getInt("longdpo.search.rollouts")).isEqualTo(4);
    assertReport(run);
    CliRunner.Result status = ctl("--endpoint", control, "status", "--json", "demo-job");
    assertThat(status.out()).contains("\"phase\": \"DONE\"");
    // The survivor trained the baseline to its end and evaluated its last checkpoint (the
    // evaluation moved there if it was on the dead node); the manager's lag is 0 once finished.
    String after = scrape(survivor);
    JsonNode dpoRow = JSON.readTree(run.resolve("report.json").toFile()).get("rows").get(1);
    assertThat(value(after, "longdpo_train_steps_total", "variant=\"dpo\""))
        .isEqualTo((double) steps.size() - HOLD_AT_STEP);
    assertThat(value(after, "longdpo_eval_sl", "variant=\"dpo\"")).isEqualTo(dpoRow.get("S_l").get("avg").asDouble());
    assertThat(value(scrape(n1), "longdpo_train_lag", "variant=\"longdpo\"")).isZero();
    assertDeployedMetricsAreExported();

    // The same job in one JVM, over the base the cluster pretrained (cached in the shared home).
    Path out = dir.resolve("demo");
    List<String> args = new ArrayList<>();
    for (String s : SMALL) {
      args.addAll(List.of("--set", s));
    }
    args.addAll(List.of("--set", "longdpo.home=" + home, "demo", "--quick", "--out", out.toString()));
    String demoLog = CliProcess.run(dir.resolve("demo.log"), Map.of(), Duration.ofSeconds(300), args.toArray(String[]::new));
    assertThat(demoLog).contains("Length score S_l").contains("longdpo - dpo").contains("95% intervals");
    Path demoRun = out.resolve("runs").resolve("demo");
    assertReport(demoRun);
    for (String f : RUN_FILES) {
      assertThat(Files.readString(demoRun.resolve(f))).as(f).isEqualTo(Files.readString(run.resolve(f)));
    }
    assertThat(JSON.readTree(demoRun.resolve("state.json").toFile()).get("baseSha256"))
        .isEqualTo(JSON.readTree(run.resolve("state.json").toFile()).get("baseSha256"));
    // The pairs' log-probs are the run's base's, taken by the sampler.
    for (Path r : List.of(run, demoRun)) {
      JsonNode reference = JSON.readTree(r.resolve("reference.json").toFile());
      assertThat(reference.get("weights_sha256")).isEqualTo(JSON.readTree(r.resolve("state.json").toFile()).get("baseSha256"));
      assertThat(reference.get("logprobs").asText()).isEqualTo("sampler");
    }
    // The same outcome pairs: answers, tokens and scores. Their reference log-probs may part in the
    // last bits (docs/cluster.md: the demo's JVM computes them with trainers sharing its cores).
    List<PreferencePair> demoOutcome = PairLog.readOnly(demoRun.resolve("outcome/pairs.log")).pairs();
    assertThat(demoOutcome).hasSameSizeAs(outcome);
    for (int i = 0; i < outcome.size(); i++) {
      PreferencePair a = outcome.get(i);
      PreferencePair b = demoOutcome.get(i);
      assertThat(b.pairId()).isEqualTo(a.pairId());
      for (var sides : List.of(List.of(a.chosen(), b.chosen()), List.of(a.rejected(), b.rejected()))) {
        assertThat(sides.get(1).tokens()).as(a.pairId()).isEqualTo(sides.get(0).tokens());
        assertThat(sides.get(1).text()).as(a.pairId()).isEqualTo(sides.get(0).text());
        assertThat(sides.get(1).score()).as(a.pairId()).isEqualTo(sides.get(0).score());
        assertThat(sides.get(1).refLogProb()).as(a.pairId())
            .isCloseTo(sides.get(0).refLogProb(), org.assertj.core.data.Percentage.withPercentage(0.01));
      }
    }
    // A finished demo is not run over.
    CliRunner.Result again = CliRunner.run("demo", "--quick", "--out", out.toString());
    assertThat(again.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(again.err()).contains("holds a finished demo");
  }

  private static void assertReport(Path run) throws IOException {
    JsonNode report = JSON.readTree(run.resolve("report.json").toFile());
    assertThat(report.get("rows").findValuesAsText("model")).containsExactly("base", "dpo", "longdpo");
    assertThat(report.get("rows").get(1).get("checkpoint").asText()).startsWith("dpo-step-");
    assertThat(report.get("run").get("outcome_pairs").asInt()).isPositive();
    // The peak resident memory of the JVM that wrote the report (the manager's node, or the demo).
    assertThat(report.get("run").get("peak_rss_bytes").asLong()).isGreaterThan(64L << 20);
    // The base's pretraining ran in a JVM of its own: its time and peak come from the base's report.
    JsonNode pretraining = report.get("run").get("base_pretraining");
    assertThat(pretraining.get("seconds").asDouble()).isPositive();
    assertThat(pretraining.get("peak_rss_bytes").asLong()).isGreaterThan(64L << 20);
    // Evaluated on the test split only, with intervals that resample its subjects.
    assertThat(report.get("run").get("eval_split").asText()).isEqualTo("test");
    assertThat(report.get("run").get("eval_subjects").asInt()).isBetween(2, 17);
    assertThat(report.get("comparisons").findValuesAsText("against")).containsExactly("base", "dpo");
    for (JsonNode c : report.get("comparisons")) {
      JsonNode sl = c.get("metrics").get("S_l");
      assertThat(sl.get("low").asDouble()).isLessThanOrEqualTo(sl.get("high").asDouble());
      assertThat(sl.get("excludes_zero").asBoolean())
          .isEqualTo(sl.get("low").asDouble() > 0 || sl.get("high").asDouble() < 0);
    }
    JsonNode own = report.get("rows").get(0).get("intervals").get("S_l");
    assertThat(own.get("estimate").asDouble()).isEqualTo(report.get("rows").get(0).get("S_l").get("avg").asDouble(),
        org.assertj.core.data.Offset.offset(1e-9));
    for (String f : List.of("report.html", "report.txt", "eval.png", "training.png")) {
      assertThat(run.resolve(f)).as(f).isNotEmptyFile();
    }
  }

  /** Asks {@code ctl top --once --json} until {@code done} holds (at most two minutes). */
  private static void awaitTop(String control, String what, java.util.function.Predicate<JsonNode> done)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      CliRunner.Result top = ctl("--endpoint", control, "top", "--once", "--json");
      assertThat(top.exitCode()).as(top.err()).isZero();
      last = top.out();
      if (done.test(JSON.readTree(last))) {
        return;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(250).toNanos()); // the poll's interval
    }
    throw new AssertionError("ctl top never showed " + what + "; last:\n" + last);
  }

  private static JsonNode node(JsonNode top, String address) {
    for (JsonNode n : top.get("nodes")) {
      if (n.get("address").asText().equals(address)) {
        return n;
      }
    }
    return null;
  }

  private String scrape(NodeProcess n) throws Exception {
    HttpResponse<String> r = http(n.awaitUp(UP).metrics(), "/metrics");
    assertThat(r.statusCode()).as("GET /metrics of %s", n.awaitUp(UP).address()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    for (String line : r.body().split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        exported.add(line.split("[{ ]", 2)[0]);
      }
    }
    return r.body();
  }

  /**
   * Every metric that deploy/'s Grafana dashboard and Prometheus rules name was exported by one of
   * the nodes scraped during the run; the files parse, and the scrape configuration's rule file
   * is there.
   */
  private void assertDeployedMetricsAreExported() throws IOException {
    Path deploy = Path.of("..", "deploy").toAbsolutePath().normalize();
    List<String> expressions = new ArrayList<>();
    for (JsonNode panel : JSON.readTree(deploy.resolve("grafana/longdpo.json").toFile()).get("panels")) {
      panel.get("targets").forEach(t -> expressions.add(t.get("expr").asText()));
    }
    ObjectMapper yaml = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
    for (JsonNode group : yaml.readTree(deploy.resolve("prometheus/longdpo-rules.yml").toFile()).get("groups")) {
      group.get("rules").forEach(rule -> expressions.add(rule.get("expr").asText()));
    }
    JsonNode scrapeConfig = yaml.readTree(deploy.resolve("prometheus/prometheus.yml").toFile());
    for (JsonNode f : scrapeConfig.get("rule_files")) {
      assertThat(deploy.resolve("prometheus").resolve(f.asText())).as("rule file of prometheus.yml").exists();
    }
    assertThat(expressions).hasSizeGreaterThan(10);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b(?:longdpo|jvm|process|system)_[a-z0-9_]+")
        .matcher(String.join("\n", expressions));
    java.util.Set<String> named = new java.util.TreeSet<>();
    while (m.find()) {
      named.add(m.group());
    }
    assertThat(named).as("metrics the deploy files name").hasSizeGreaterThan(15);
    assertThat(exported).as("metrics the nodes exported").containsAll(named);
  }

  private static HttpResponse<String> http(String hostPort, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + hostPort + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The sum of the samples of {@code name} whose labels contain {@code label}. */
  private static double sum(String text, String name, String label) {
    double total = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(name + "{") && line.contains(label)) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  /** The value of the first sample of {@code name} whose labels contain {@code label}. */
  private static double value(String text, String name, String label) {
    for (String line : text.split("\n")) {
      if ((line.startsWith(name + "{") || line.startsWith(name + " ")) && line.contains(label)) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError("no sample of " + name + " with " + label + " in:\n" + text);
  }

  private static long tokens(List<PreferencePair> pairs) {
    return pairs.stream().mapToLong(p -> p.chosen().tokens().length + p.rejected().tokens().length).sum();
  }

  private static List<JsonNode> records(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  private NodeProcess start(String name, Path root, Path home, String roles, String seed, String... extra)
      throws IOException {
    List<String> args = new ArrayList<>();
    for (String s : SMALL) {
      args.addAll(List.of("--set", s));
    }
    args.addAll(List.of("--set", "longdpo.home=" + home));
    args.addAll(List.of(extra));
    return nodes.start(dir, name, "1g", root, roles, seed, args.toArray(String[]::new));
  }

  private static CliRunner.Result ctl(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "ctl";
    System.arraycopy(args, 0, all, 1, args.length);
    return CliRunner.run(all);
  }
}
