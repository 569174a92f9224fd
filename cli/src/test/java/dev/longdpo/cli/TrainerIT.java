package dev.longdpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longdpo.bench.search.SearchFixtures;
import dev.longdpo.cli.node.ClusterWaits;
import dev.longdpo.cli.node.NodeProcess;
import dev.longdpo.coordinator.run.PairLog;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.checkpoint.WeightsHash;
import dev.longdpo.testbed.task.TaskFile;
import dev.longdpo.testbed.task.TaskGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trainers and the evaluator on their own nodes: node JVMs on loopback (a coordinator with a search
 * worker, two trainer nodes, an evaluator node and later a second one), a random model of the
 * base's shape, driven with {@code longdpo ctl}.
 *
 * <p>A trainer node is killed with {@code kill -9} right after it wrote a checkpoint (a hook holds
 * it there and writes a marker): the variant moves to the other trainer node, which resumes from
 * that checkpoint at its stream offset; every step is taken once, and its first checkpoint after
 * the resume is bit-identical to that of the same pairs replayed in one uninterrupted {@code
 * longdpo train}. The evaluator is killed after its first evaluation; a new evaluator node
 * evaluates the checkpoint written while none ran, and no checkpoint is evaluated twice. Then a
 * run is paused and
 * resumed: the run directory's records show no trainer step and no expansion in between.
 */
class TrainerIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration UP = Duration.ofSeconds(90);
  private static final Duration HELD = Duration.ofSeconds(120);
  /**
   * Small batches and frequent checkpoints so a short run has several; every gradient computed
   * twice and kept when both agree, so a spoiled backward pass (docs/reproducibility.md) cannot
   * make two trainings of the same pairs part.
   */
  private static final String TRAIN =
      "batch-pairs = 4, epochs = 2, checkpoint-every = 2, warmup-steps = 2, verify-gradients = on";
  /** Two short held-out tasks: an evaluation of the random model takes a few seconds. */
  private static final String SETTINGS = "longdpo.search { k = 2, rollouts = 3, trees-in-flight = 4 }\n"
      + "longdpo.train { " + TRAIN + " }\n"
      + "longdpo.eval { plain-tasks = 2, sectioned-tasks = 0, threads = 1 }\n";
  private static final int HOLD_AT_STEP = 4;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @RegisterExtension
  final NodeJvms nodes = new NodeJvms();

  @Test
  void aVariantMovesToAnotherTrainerAndResumesExactly() throws Exception {
    Path root = dir.resolve("root");
    Path model = dir.resolve("model");
    try (LanguageModel m = SearchFixtures.randomTestbedModel()) {
      m.save(model);
    }
    Path prompts = dir.resolve("prompts.jsonl");
    TaskFile.write(prompts, new TaskGenerator(5).generateMix(new int[] {6, 6, 0, 0}, 0));
    Path settings = Files.writeString(dir.resolve("run.conf"), SETTINGS);

    NodeProcess n1 = start("n1", root, "coordinator,search", null);
    String seed = "127.0.0.1:" + n1.awaitUp(UP).clusterPort();
    String[] hooks = {"--set", "longdpo.node.hooks.run=kill-trainer",
        "--set", "longdpo.node.hooks.hold-at-trainer-step=" + HOLD_AT_STEP};
    NodeProcess n2 = start("n2", root, "trainer", seed, hooks);
    NodeProcess n3 = start("n3", root, "trainer", seed, hooks);
    NodeProcess n4 = start("n4", root, "evaluator", seed, "--set", "longdpo.node.hooks.run=kill-trainer",
        "--set", "longdpo.node.hooks.hold-after-evaluations=1");
    String control = n1.awaitUp(UP).control();
    n2.awaitUp(UP);
    n3.awaitUp(UP);
    n4.awaitUp(UP);
    ClusterWaits.awaitMembers(control, 4, UP);
    // A node that only trains starts with training's malloc settings, the others with the launcher's.
    assertThat(environment(n2)).contains("MALLOC_TOP_PAD_=67108864", "MALLOC_MMAP_THRESHOLD_=33554432");
    assertThat(environment(n4)).contains("MALLOC_MMAP_THRESHOLD_=4194304").doesNotContain("MALLOC_TOP_PAD_=67108864");

    // A run that trains needs a model.
    CliRunner.Result refused = ctl("--endpoint", control, "submit", "--testing-policy", "--train", "--prompts",
        prompts.toString());
    assertThat(refused.exitCode()).as(refused.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(refused.err()).contains("the scripted policy has no model to train");

    String run = submit(control, "kill-trainer", model, prompts, settings);
    Path runDir = root.resolve("runs").resolve(run);
    Path held = root.resolve("hooks").resolve(run + ".trainer-held");
    ClusterWaits.awaitFile(held, HELD);

    // The evaluator holds after its first evaluation (the base) and is killed while the trainer
    // holds too; a new evaluator node evaluates the step-4 checkpoint, written while none ran.
    ClusterWaits.awaitFile(root.resolve("hooks").resolve(run + ".evaluator-held"), HELD);
    n4.kill();
    n4.process().waitFor(30, TimeUnit.SECONDS);
    start("n5", root, "evaluator", seed).awaitUp(UP);
    awaitEvaluation(runDir, "longdpo-step-" + HOLD_AT_STEP);

    String heldOn = Files.readString(held).strip();
    NodeProcess victim = heldOn.equals(n2.awaitUp(UP).address()) ? n2 : n3;
    NodeProcess survivor = victim == n2 ? n3 : n2;
    assertThat(heldOn).isEqualTo(victim.awaitUp(UP).address());
    victim.kill();
    victim.process().waitFor(30, TimeUnit.SECONDS);
    CliRunner.Result waited = ctl("--endpoint", control, "wait", "--timeout", "300s", run);
    assertThat(waited.exitCode()).as(waited.err() + waited.out()).isZero();

    List<JsonNode> records = records(runDir.resolve("train/longdpo.jsonl"));
    List<JsonNode> starts = records.stream().filter(r -> r.get("event").asText().equals("started")).toList();
    assertThat(starts).hasSize(2);
    assertThat(starts.get(0).get("node").asText()).isEqualTo(victim.awaitUp(UP).address());
    assertThat(starts.get(0).get("step").asLong()).isZero();
    JsonNode resumed = starts.get(1);
    assertThat(resumed.get("node").asText()).isEqualTo(survivor.awaitUp(UP).address());
    assertThat(resumed.get("resumed_from").asText()).isEqualTo("longdpo-step-" + HOLD_AT_STEP);
    assertThat(resumed.get("assignment").asLong()).isEqualTo(2);
    JsonNode checkpoint = JSON.readTree(runDir.resolve("checkpoints/longdpo-step-" + HOLD_AT_STEP)
        .resolve("trainer_state.json").toFile());
    assertThat(resumed.get("step").asLong()).isEqualTo(HOLD_AT_STEP);
    assertThat(resumed.get("offset").asLong()).as("the stream offset of the checkpoint")
        .isEqualTo(checkpoint.get("stream_offset").asLong()).isEqualTo(HOLD_AT_STEP * 4L);

    // Every step once: 1..4 on the killed node, the rest on the survivor.
    List<Long> steps = records.stream().filter(r -> r.get("event").asText().equals("step"))
        .map(r -> r.get("step").asLong()).toList();
    long last = steps.get(steps.size() - 1);
    assertThat(steps).isEqualTo(LongStream.rangeClosed(1, last).boxed().toList());
    int pairs = PairLog.readOnly(runDir.resolve("pairs.log")).pairs().size();
    assertThat(last).as("two epochs of %d pairs in batches of 4", pairs).isEqualTo(2L * ((pairs + 3) / 4));

    // The same pairs replayed without interruption, on the same schedule: the survivor's first
    // checkpoint after the resume is the replay's to the bit (weights, AdamW moments and step,
    // trainer state), so the resume restored everything the next steps depend on.
    Path finalCheckpoint = runDir.resolve("checkpoints/longdpo-step-" + last);
    JsonNode finalState = JSON.readTree(finalCheckpoint.resolve("trainer_state.json").toFile());
    assertThat(finalState.get("finished").asBoolean()).isTrue();
    CliRunner.Result replay = CliRunner.run("--set", "longdpo.train.verify-gradients=on",
        "--set", "longdpo.train.batch-pairs=4", "--set", "longdpo.train.epochs=2",
        "--set", "longdpo.train.checkpoint-every=2", "--set", "longdpo.train.warmup-steps=2",
        "train", "--pairs", runDir.toString(), "--model", runDir.resolve("base").toString(),
        "--out", dir.resolve("replay").toString(),
        "--schedule-steps", String.valueOf(finalState.get("schedule_steps").asInt()));
    assertThat(replay.exitCode()).as(replay.err()).isZero();
    String afterResume = "longdpo-step-" + (HOLD_AT_STEP + 2);
    for (String file : List.of("model.safetensors", "optimizer.safetensors", "optimizer.json")) {
      assertThat(Files.mismatch(runDir.resolve("checkpoints").resolve(afterResume).resolve(file),
              dir.resolve("replay/checkpoints").resolve(afterResume).resolve(file)))
          .as("%s of %s, resumed on another node vs never killed (%s)", file, afterResume,
              firstDifferentStep(records, records(dir.resolve("replay/longdpo.metrics.jsonl"))))
          .isEqualTo(-1L);
    }
    // And it ends with the weights of the trainer never killed.
    assertThat(WeightsHash.of(finalCheckpoint)).as("final weights, killed and resumed vs never killed (%s)",
            firstDifferentStep(records, records(dir.resolve("replay/longdpo.metrics.jsonl"))))
        .isEqualTo(WeightsHash.of(dir.resolve("replay/checkpoints/longdpo-step-" + last)));
    assertThat(state(root, run).get("phase").asText()).isEqualTo("DONE");

    // Nothing evaluated twice; the base, the missed checkpoint and the final one evaluated once.
    List<String> evaluated = records(runDir.resolve("eval/evaluations.jsonl")).stream()
        .map(r -> r.get("checkpoint").asText()).toList();
    assertThat(evaluated).as("each checkpoint identity evaluated once").doesNotHaveDuplicates();
    assertThat(evaluated.stream().filter(c -> c.startsWith("base-"))).hasSize(1);
    assertThat(evaluated.stream().filter(c -> c.startsWith("longdpo-step-" + HOLD_AT_STEP + "-"))).hasSize(1);
    assertThat(evaluated.stream().filter(c -> c.startsWith("longdpo-step-" + last + "-"))).hasSize(1);
    String hash12 = WeightsHash.of(finalCheckpoint).substring(0, 12);
    assertThat(runDir.resolve("eval/longdpo-step-" + last + "-" + hash12 + ".json")).exists();
    assertThat(ctl("--endpoint", control, "status", "--json", run).out()).contains("\"checkpoint\": \"longdpo-step-" + last + "\"");

    // The run's checkpoints, its pairs and a refused evaluation through ctl.
    CliRunner.Result listed = ctl("--endpoint", control, "checkpoints", run);
    assertThat(listed.exitCode()).as(listed.err()).isZero();
    assertThat(listed.out().lines().filter(l -> l.startsWith("longdpo-step-"))).hasSize((int) last / 2);
    assertThat(listed.out().lines().filter(l -> l.startsWith("longdpo-step-" + last + " ")).findFirst().orElseThrow())
        .contains("final").contains("S_l");
    Path exported = dir.resolve("out/pairs.trl.jsonl");
    CliRunner.Result export = ctl("--endpoint", control, "export", run, "--format", "trl", "--output", exported.toString());
    assertThat(export.exitCode()).as(export.err()).isZero();
    assertThat(Files.readAllLines(exported)).hasSize(pairs);
    assertFails(ctl("--endpoint", control, "export", run, "--format", "csv", "--output", exported.toString()),
        ExitCodes.BAD_INPUT, "'csv' is not trl or longdpo");
    assertFails(ctl("--endpoint", control, "evaluate", run, "--checkpoint", "longdpo-step-2"), ExitCodes.WRONG_STATE,
        "only the active training run's checkpoints are evaluated");

    // A second coordinator (with a search worker) and a second trainer node for the next runs.
    NodeProcess n6 = start("n6", root, "coordinator,search", seed);
    NodeProcess n7 = start("n7", root, "trainer", seed);
    String control6 = n6.awaitUp(UP).control();
    n7.awaitUp(UP);
    ClusterWaits.awaitMembers(control, 5, UP);
    managerMovesWhileTraining(n1, n6, control6, root, model, prompts, settings);
    pauseAndResume(control6, root, model, prompts, settings, List.of(survivor, n7));
  }

  /**
   * kill -9 of the run manager's node while its run trains: the singleton moves to the other
   * coordinator node, which keeps the trainers where they are (same assignment, no restart) and
   * hears from them; the run ends DONE with its final checkpoints evaluated.
   */
  private void managerMovesWhileTraining(NodeProcess managerNode, NodeProcess next, String control, Path root,
      Path model, Path prompts, Path settings) throws Exception {
    String run = submit(control, "manager-moves", model, prompts, settings);
    Path records = root.resolve("runs").resolve(run).resolve("train/longdpo.jsonl");
    awaitRecord(records, "step");
    managerNode.kill();
    managerNode.process().waitFor(30, TimeUnit.SECONDS);
    CliRunner.Result waited = ctl("--endpoint", control, "wait", "--timeout", "300s", run);
    assertThat(waited.exitCode()).as(waited.err() + waited.out()).isZero();
    assertThat(Files.readString(root.resolve("manager.epoch"))).as("the manager moved").contains(address(next));
    List<JsonNode> events = records(records);
    assertThat(events.stream().filter(r -> r.get("event").asText().equals("started")))
        .as("the trainer was kept, not restarted").hasSize(1);
    assertThat(events.stream().map(r -> r.get("event").asText())).contains("finished");
    CliRunner.Result status = ctl("--endpoint", control, "status", "--json", run);
    assertThat(status.out()).contains("\"phase\": \"DONE\"").contains("\"checkpoint\": \"base\"");
    long last = events.stream().filter(r -> r.get("event").asText().equals("finished")).findFirst().orElseThrow()
        .get("steps").asLong();
    assertThat(status.out()).contains("\"checkpoint\": \"longdpo-step-" + last + "\"");
  }

  /**
   * A paused run takes no trainer step and sends no expansion until it is resumed. It trains two
   * variants side by side (the second with another beta), each to its own final checkpoint.
   */
  private void pauseAndResume(String control, Path root, Path model, Path prompts, Path settings,
      List<NodeProcess> trainers) throws Exception {
    String run = submit(control, "paused", model, prompts, settings, "--variant", "longdpo",
        "--variant", "longdpo-b0.3:beta=0.3");
    Path records = root.resolve("runs").resolve(run).resolve("train/longdpo.jsonl");
    awaitRecord(records, "step");
    CliRunner.Result paused = ctl("--endpoint", control, "pause", run);
    assertThat(paused.exitCode()).as(paused.err()).isZero();
    assertThat(paused.out()).contains("(paused)");
    // The trainer acknowledges in its records; whatever step was in flight has finished by then.
    awaitRecord(records, "paused");
    CliRunner.Result status = ctl("--endpoint", control, "status", "--json", run);
    assertThat(status.out()).contains("\"paused\": true");
    assertFails(ctl("--endpoint", control, "evaluate", run, "--checkpoint", "longdpo-step-999"), ExitCodes.BAD_INPUT,
        "no checkpoint 'longdpo-step-999'");

    // While paused, SIGTERM the node training "longdpo": it checkpoints where it is and leaves; the
    // variant moves to the other trainer node, which resumes from that checkpoint, still paused.
    String holder = Files.readString(root.resolve("runs").resolve(run).resolve("train/longdpo.assignment")).strip()
        .split(" ")[1];
    NodeProcess leaving = trainers.stream().filter(n -> address(n).equals(holder)).findFirst().orElseThrow();
    leaving.terminate();
    assertThat(leaving.process().waitFor(90, TimeUnit.SECONDS)).as("the trainer node exits after SIGTERM").isTrue();
    assertThat(leaving.process().exitValue()).isEqualTo(143);
    awaitRecords(records, "started", 2);
    List<JsonNode> atLeave = records(records);
    long pausedAt = atLeave.stream().filter(x -> x.get("event").asText().equals("paused")).findFirst().orElseThrow()
        .get("step").asLong();
    assertThat(atLeave).as("the leaving trainer's checkpoint at the paused step").anyMatch(x ->
        x.get("event").asText().equals("checkpoint") && x.get("node").asText().equals(holder)
            && x.get("step").asLong() == pausedAt);
    JsonNode restarted = atLeave.stream().filter(x -> x.get("event").asText().equals("started")).skip(1).findFirst()
        .orElseThrow();
    assertThat(restarted.get("node").asText()).isNotEqualTo(holder);
    assertThat(restarted.get("step").asLong()).as("resumed where the paused trainer stopped").isEqualTo(pausedAt);
    assertThat(restarted.get("resumed_from").asText()).isEqualTo("longdpo-step-" + pausedAt);

    // Resume only after the trainers and the search had time to misbehave: the pause held across
    // a node leaving and a variant moving, which would show up in the records.
    ctl("--endpoint", control, "status", run);
    CliRunner.Result resumed = ctl("--endpoint", control, "resume", run);
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(ctl("--endpoint", control, "wait", "--timeout", "300s", run).exitCode()).isZero();

    List<String> events = records(records).stream().map(r -> r.get("event").asText()).toList();
    int p = events.indexOf("paused");
    int r = events.indexOf("resumed");
    assertThat(p).isPositive();
    assertThat(r).as("resumed after paused").isGreaterThan(p);
    // Between them: the new trainer's start (paused), no step.
    assertThat(events.subList(p, r)).as("no trainer step between pause and resume").doesNotContain("step")
        .containsSubsequence("paused", "started", "paused");
    assertThat(events.subList(r, events.size())).contains("step", "finished");
    List<JsonNode> control1 = records(root.resolve("runs").resolve(run).resolve("events.jsonl"));
    assertThat(control1).hasSize(2);
    assertThat(control1.get(0).get("event").asText()).isEqualTo("paused");
    assertThat(control1.get(1).get("event").asText()).isEqualTo("resumed");
    assertThat(control1.get(1).get("expansions_started").asLong()).as("no expansion sent while paused")
        .isEqualTo(control1.get(0).get("expansions_started").asLong());

    Path runDir = root.resolve("runs").resolve(run);
    List<JsonNode> second = records(runDir.resolve("train/longdpo-b0.3.jsonl"));
    assertThat(second.stream().map(x -> x.get("event").asText())).contains("paused", "resumed", "finished");
    long last = second.stream().filter(x -> x.get("event").asText().equals("finished")).findFirst().orElseThrow()
        .get("steps").asLong();
    assertThat(WeightsHash.of(runDir.resolve("checkpoints/longdpo-b0.3-step-" + last)))
        .as("another beta, other weights").isNotEqualTo(WeightsHash.of(runDir.resolve("checkpoints/longdpo-step-" + last)));
    assertThat(JSON.readTree(runDir.resolve("checkpoints/longdpo-b0.3-step-" + last + "/trainer_state.json").toFile())
        .path("settings").path("beta").asDouble()).isEqualTo(0.3);
  }

  /**
   * Where two trainings part: the first step whose loss or gradient norm differs. A step with the
   * same loss and another gradient norm is the spoiled backward pass of docs/reproducibility.md.
   */
  private static String firstDifferentStep(List<JsonNode> live, List<JsonNode> replay) {
    List<JsonNode> steps = live.stream().filter(r -> r.get("event").asText().equals("step")).toList();
    for (int i = 0; i < Math.min(steps.size(), replay.size()); i++) {
      JsonNode a = steps.get(i);
      JsonNode b = replay.get(i);
      if (a.get("loss").asDouble() != b.get("loss").asDouble()
          || a.get("grad_norm").asDouble() != b.get("grad_norm").asDouble()) {
        return "first different step " + a.get("step") + " on " + a.get("node").asText() + ": loss " + a.get("loss")
            + " vs " + b.get("loss") + ", gradient norm " + a.get("grad_norm") + " vs " + b.get("grad_norm");
      }
    }
    return "every step's loss and gradient norm equal";
  }

  /**
   * Trainer nodes get a generous heap: with a small one the JVM collects often, and a spoiled
   * backward pass with a plausible norm (docs/reproducibility.md) becomes likely enough to show.
   */
  private NodeProcess start(String name, Path root, String roles, String seed, String... extra) throws IOException {
    return nodes.start(dir, name, roles.contains("trainer") ? "2g" : "512m", root, roles, seed, extra);
  }

  private static CliRunner.Result ctl(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "ctl";
    System.arraycopy(args, 0, all, 1, args.length);
    return CliRunner.run(all);
  }

  private static String submit(String endpoint, String id, Path model, Path prompts, Path settings, String... extra) {
    List<String> args = new ArrayList<>(List.of("--endpoint", endpoint, "submit", "--model", model.toString(), "--train",
        "--id", id, "--prompts", prompts.toString(), "--settings", settings.toString()));
    args.addAll(List.of(extra));
    CliRunner.Result r = ctl(args.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.err()).isZero();
    return r.out().trim();
  }

  private static String address(NodeProcess n) {
    try {
      return n.awaitUp(UP).address();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Waits until {@code file} records {@code count} events of {@code kind}. */
  private static void awaitRecords(Path file, String kind, int count) throws Exception {
    long deadline = System.nanoTime() + HELD.toNanos();
    while (!Files.exists(file) || records(file).stream().filter(r -> r.get("event").asText().equals(kind)).count() < count) {
      assertThat(System.nanoTime()).as("%s records %d %s events within %s", file, count, kind, HELD).isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(100); // polling a file: no event to wait on
    }
  }

  private static void assertFails(CliRunner.Result r, int code, String message) {
    assertThat(r.exitCode()).as(r.err()).isEqualTo(code);
    assertThat(r.err()).contains(message);
  }

  private static List<JsonNode> records(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        out.add(JSON.readTree(line));
      }
    }
    return out;
  }

  /** Waits until the run has an evaluation record of checkpoint {@code name}. */
  private static void awaitEvaluation(Path runDir, String name) throws Exception {
    long deadline = System.nanoTime() + HELD.toNanos();
    Path eval = runDir.resolve("eval");
    while (!hasFileStartingWith(eval, name + "-")) {
      assertThat(System.nanoTime()).as("%s evaluated within %s", name, HELD).isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(100); // polling a directory: no event to wait on
    }
  }

  private static boolean hasFileStartingWith(Path dir, String prefix) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (java.util.stream.Stream<Path> s = Files.list(dir)) {
      return s.anyMatch(p -> p.getFileName().toString().startsWith(prefix));
    }
  }

  /** Waits until {@code file} records an event of {@code kind}. */
  private static void awaitRecord(Path file, String kind) throws Exception {
    awaitRecords(file, kind, 1);
  }

  private static JsonNode state(Path root, String run) throws IOException {
    return JSON.readTree(Files.readString(root.resolve("runs").resolve(run).resolve("state.json"), StandardCharsets.UTF_8));
  }

  /** A node process's environment as it started ({@code /proc/<pid>/environ}), one variable an entry. */
  private static List<String> environment(NodeProcess node) throws IOException {
    byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(node.pid()), "environ"));
    return List.of(new String(raw, StandardCharsets.UTF_8).split("\0"));
  }
}
