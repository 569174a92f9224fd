package dev.longdpo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longdpo.coordinator.run.PairLog;
import dev.longdpo.coordinator.run.RunDirectory;
import dev.longdpo.model.checkpoint.WeightsHash;
import dev.longdpo.protocol.pairs.PairStep;
import dev.longdpo.protocol.pairs.PreferencePair;
import dev.longdpo.protocol.pairs.TreeCompleted;
import dev.longdpo.protocol.search.StepScore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same settings, same bits: {@code longdpo train} replaying one pair log twice, in two separate
 * JVMs, the second with every core also busy, writes byte-identical checkpoints and the same
 * metrics at every step. Nothing in a replay may depend on timing (how the pairs are delivered and
 * batched, thread interleavings) or on the process (allocation, thread pools).
 */
class ReplayDeterminismIT {

  private static final int VOCAB = 300;
  private static final int BOS = 1;
  private static final int EOS = 2;
  /** Token ids of the byte-level tokenizer's bytes (above its specials). */
  private static final int FIRST_BYTE_ID = 3;
  private static final int LAST_BYTE_ID = 258;

  /** Pairs per prompt: 40 in all, from prompts of several sizes. */
  private static final int[] PAIRS_PER_PROMPT = {3, 5, 6, 7, 8, 11};

  /**
   * 40 pairs, 4 a step, 3 epochs: 30 optimizer steps, with checkpoints at 10, 20 and 30 (each one
   * compared, so that the weights alone place a difference within ten steps).
   */
  private static final String VARIANT = "longdpo:batch-pairs=4,epochs=3,checkpoint-every=10";
  private static final int STEPS = 30;

  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);

  // Kept when the test fails: the runs' logs, metrics and weights are what a diagnosis needs.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @Test
  void twoProcessesReplayingOnePairLogWriteTheSameBits() throws Exception {
    Path model = tinyModel();
    Path run = dir.resolve("run");
    assertThat(writePairLog(run)).hasSize(40);

    Path first = train(run, model, "first");
    Path second;
    // The second run shares the cores with busy threads: if anything depends on timing, this is
    // where it shows. The first runs alone, as a user's would.
    try (CliProcess.CpuLoad load = new CliProcess.CpuLoad(RUN_TIMEOUT)) {
      second = train(run, model, "second");
    }

    List<String> checkpoints = checkpoints(first);
    assertThat(checkpoints).as("checkpoints of the first run")
        .containsExactly("longdpo-step-10", "longdpo-step-20", "longdpo-step-30");
    assertThat(checkpoints(second)).as("checkpoints of the second run").isEqualTo(checkpoints);
    assertSameMetrics(
        first.resolve("longdpo.metrics.jsonl"), second.resolve("longdpo.metrics.jsonl"));
    for (String name : checkpoints) {
      assertThat(WeightsHash.of(second.resolve("checkpoints").resolve(name)))
          .as("weights of %s, second run against first", name)
          .isEqualTo(WeightsHash.of(first.resolve("checkpoints").resolve(name)));
    }

    // kill -9 once the step-10 checkpoint is on disk, then --resume: the weights of the run never
    // killed.
    Path killed = dir.resolve("train-killed");
    Map<String, String> env = Map.of("LONGDPO_HOME", Files.createDirectories(dir.resolve("home-killed")).toString());
    Process p = CliProcess.start(dir.resolve("train-killed.log"), env, "train", "--pairs", run.toString(), "--model",
        model.toString(), "--variant", VARIANT, "--out", killed.toString());
    Path step10 = killed.resolve("checkpoints/longdpo-step-10");
    long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
    while (!Files.exists(step10) && p.isAlive()) {
      assertThat(System.nanoTime()).as("the step-10 checkpoint within %s", RUN_TIMEOUT).isLessThan(deadline);
      p.waitFor(20, TimeUnit.MILLISECONDS); // polling a file: no event to wait on
    }
    p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    assertThat(step10).as("written before the kill").exists();
    String log = CliProcess.run(dir.resolve("train-resumed.log"), env, RUN_TIMEOUT, "train", "--pairs", run.toString(),
        "--model", model.toString(), "--variant", VARIANT, "--out", killed.toString(), "--resume");
    assertThat(log).contains("longdpo: resuming from");
    assertThat(WeightsHash.of(killed.resolve("checkpoints/longdpo-step-30")))
        .as("weights after a kill -9 and --resume, against the run never killed")
        .isEqualTo(WeightsHash.of(first.resolve("checkpoints/longdpo-step-30")));
  }

  /** A random tiny model with the byte-level tokenizer, made in-process (setup, not under test). */
  private Path tinyModel() throws Exception {
    Path config = dir.resolve("config.json");
    Files.writeString(config, "{\"vocab_size\": " + VOCAB + ", \"hidden_size\": 32,"
        + " \"intermediate_size\": 64, \"num_hidden_layers\": 2, \"num_attention_heads\": 4,"
        + " \"num_key_value_heads\": 2, \"max_position_embeddings\": 128}");
    Path model = dir.resolve("model");
    CliRunner.Result r = CliRunner.run("model", "init", "--model-config", config.toString(),
        "--seed", "7", "--out", model.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    return model;
  }

  /**
   * A search run's pair log, synthetic but shaped like one: per prompt a path of steps, each
   * depth's pair sharing the prefix of the chosen steps before it, the last chosen step ending the
   * answer on half the prompts, and a completion record after the prompt's pairs. Lengths vary
   * (prompts of 4 to 16 tokens, steps of 1 to 8) so that micro-batches mix sequence lengths; the
   * longest prefix plus a step stays within the model's 128 positions.
   */
  private static List<PreferencePair> writePairLog(Path run) throws Exception {
    Random random = new Random(42);
    StepScore score = new StepScore(List.of(4.0, 4.0, 3.0, 4.0, 4.0, 3.0, 4.0), 5, 3.7, 8.7);
    List<PreferencePair> all = new ArrayList<>();
    try (PairLog log = PairLog.open(run.resolve(RunDirectory.PAIR_LOG))) {
      for (int p = 0; p < PAIRS_PER_PROMPT.length; p++) {
        String promptId = "p" + p;
        int n = PAIRS_PER_PROMPT[p];
        boolean ends = p % 2 == 0;
        int[] prefix = concat(new int[] {BOS}, tokens(random, 3 + random.nextInt(13)));
        List<PreferencePair> pairs = new ArrayList<>();
        for (int depth = 1; depth <= n; depth++) {
          boolean last = ends && depth == n;
          int[] chosen = tokens(random, 1 + random.nextInt(8));
          if (last) {
            chosen[chosen.length - 1] = EOS; // an answer-ending step keeps its end-of-sequence id
          }
          int[] rejected = tokens(random, 1 + random.nextInt(8));
          // Reference log-probs: any finite numbers do; these sit a little above a uniform
          // model's -ln(300) = -5.7 a token.
          PairStep c = new PairStep("c", chosen, last, score,
              -5.0 * chosen.length - random.nextDouble(), 8.7);
          PairStep r = new PairStep("r", rejected, false, score,
              -5.0 * rejected.length - random.nextDouble(), 7.9);
          pairs.add(new PreferencePair(PreferencePair.id("run", promptId, depth), "run", promptId,
              depth, "prompt " + p, "[INST] prompt " + p + " [/INST]", prefix, c, r, false, 0,
              false, n));
          prefix = concat(prefix, chosen);
        }
        all.addAll(log.append(pairs));
        log.appendCompleted(
            new TreeCompleted(promptId, n, n, 0, 0, 0, 2 * n, "answer " + p, ends, 0, 0, 0));
      }
      log.flush();
    }
    return all;
  }

  private static int[] tokens(Random random, int n) {
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      t[i] = FIRST_BYTE_ID + random.nextInt(LAST_BYTE_ID - FIRST_BYTE_ID + 1);
    }
    return t;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Runs {@code longdpo train} in a JVM of its own; returns its output directory. */
  private Path train(Path run, Path model, String name) throws Exception {
    Path out = dir.resolve("train-" + name);
    // A fresh home: nothing in the user's cache is read or written (the natives come from the
    // build's DJL cache, passed on as DJL_CACHE_DIR).
    Path home = Files.createDirectories(dir.resolve("home-" + name));
    CliProcess.run(dir.resolve("train-" + name + ".log"), Map.of("LONGDPO_HOME", home.toString()),
        RUN_TIMEOUT, "train", "--pairs", run.toString(), "--model", model.toString(),
        "--variant", VARIANT, "--out", out.toString());
    return out;
  }

  /** The checkpoint directories a run wrote, by step. */
  private static List<String> checkpoints(Path out) throws Exception {
    try (Stream<Path> s = Files.list(out.resolve("checkpoints"))) {
      return s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
          .filter(n -> n.matches(".*-step-\\d+"))
          .sorted(Comparator.comparingInt(ReplayDeterminismIT::step)).toList();
    }
  }

  private static int step(String checkpoint) {
    return Integer.parseInt(checkpoint.substring(checkpoint.lastIndexOf('-') + 1));
  }

  /**
   * The two metrics files agree line by line, every number to the bit (Jackson writes a double as
   * the shortest decimal that reads back to it), except for fields that measure time. A failure
   * names the first step that differs, its differing fields, and shows both lines.
   */
  private static void assertSameMetrics(Path first, Path second) throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<String> a = Files.readAllLines(first, StandardCharsets.UTF_8);
    List<String> b = Files.readAllLines(second, StandardCharsets.UTF_8);
    assertThat(a).as("steps in %s", first).hasSize(STEPS);
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      JsonNode x = withoutTiming(json.readTree(a.get(i)));
      JsonNode y = withoutTiming(json.readTree(b.get(i)));
      if (!x.equals(y)) {
        List<String> fields = new ArrayList<>();
        x.fieldNames().forEachRemaining(f -> {
          if (!x.get(f).equals(y.get(f))) {
            fields.add(f);
          }
        });
        fail("metrics differ first at step %d (line %d of %s; fields %s):%n  first:  %s%n"
            + "  second: %s", x.path("step").asLong(), i + 1, first, fields, a.get(i), b.get(i));
      }
    }
    assertThat(b).as("steps in %s", second).hasSameSizeAs(a);
  }

  /**
   * A metrics line without its timing fields. Today's lines carry none (TRL's step metrics only),
   * but one such as {@code train_seconds} may be added, and it must not make this test flaky.
   */
  private static JsonNode withoutTiming(JsonNode line) {
    ObjectNode copy = ((ObjectNode) line).deepCopy();
    for (Iterator<String> it = line.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (field.contains("second") || field.contains("time") || field.contains("elapsed")) {
        copy.remove(field);
      }
    }
    return copy;
  }
}
