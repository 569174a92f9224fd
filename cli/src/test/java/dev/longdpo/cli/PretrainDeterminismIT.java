package dev.longdpo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.longdpo.model.checkpoint.WeightsHash;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same settings, same bits: two pretrainings of a small base, in two separate JVMs on empty
 * {@code LONGDPO_HOME}s, the second with every core also busy, give byte-identical weights and the
 * same loss and gradient norm at every step. The README reports demo bases that came out different
 * on fresh homes; this holds the pretrainer itself to the same bits, on a small base.
 */
class PretrainDeterminismIT {

  /**
   * A small base, so that each run trains for a few seconds on 2 cores: 60 documents (about 16k
   * tokens) in batches of at most 512 padded tokens (35 steps, one epoch, today) on a 2-layer,
   * 32-wide model with a 512-token vocabulary. The context stays the default 1280, above the
   * longest of these documents (964 tokens), so none is truncated: the steps see batches of
   * several lengths, padding included, as the real base's pretraining does. No sample tasks:
   * sampling for the report would take most of the time (35 s for 4 samples, measured) and
   * checks generation, not training.
   */
  private static final List<String> SMALL_BASE = List.of(
      "corpus.documents=60",
      "tokenizer.max-vocabulary=512",
      "base-model.hidden-size=32",
      "base-model.intermediate-size=64",
      "base-model.layers=2",
      "pretrain.epochs=1",
      "pretrain.batch-tokens=512",
      "pretrain.heldout-documents=10",
      "pretrain.sample-tasks=0");

  /** Written beside the model by the pretrainer: a header, then one line a step. */
  private static final String STEP_LOG = "pretrain_steps.tsv";

  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);

  // Kept when the test fails: the runs' logs, metrics and weights are what a diagnosis needs.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @Test
  void twoProcessesPretrainingTheSameSettingsWriteTheSameBits() throws Exception {
    Path first = pretrain("first");
    Path second;
    // The second run shares the cores with busy threads: pretraining takes every core
    // (pretrain.threads = 0), so here its intra-op threads are preempted at other moments and
    // finish in other orders. The first runs alone, as a user's would.
    try (CliProcess.CpuLoad load = new CliProcess.CpuLoad(RUN_TIMEOUT)) {
      second = pretrain("second");
    }

    assertSameLines(first.resolve(STEP_LOG), second.resolve(STEP_LOG));
    assertThat(WeightsHash.of(second)).as("model.safetensors, second run against first")
        .isEqualTo(WeightsHash.of(first));
  }

  /** Runs {@code longdpo pretrain} in a JVM of its own, on an empty home; returns the model. */
  private Path pretrain(String name) throws Exception {
    // An empty home each, as on a first run: nothing cached from the other run (or the user's) can
    // be reused. The natives still come from the build's DJL cache (DJL_CACHE_DIR), so they are not
    // extracted again.
    Path home = Files.createDirectories(dir.resolve("home-" + name));
    Path out = dir.resolve("base-" + name);
    List<String> args = new ArrayList<>(List.of("pretrain", "--out", out.toString()));
    for (String setting : SMALL_BASE) {
      args.add("--set");
      args.add("longdpo.testbed." + setting);
    }
    CliProcess.run(dir.resolve("pretrain-" + name + ".log"),
        Map.of("LONGDPO_HOME", home.toString()), RUN_TIMEOUT, args.toArray(String[]::new));
    return out;
  }

  /**
   * The two step logs agree line by line (each number is written as the shortest decimal that reads
   * back to its bits, so equal text is equal bits). The failure names the first step that differs
   * and shows both lines.
   */
  private static void assertSameLines(Path first, Path second) throws Exception {
    assertThat(first).as("the pretrainer's step log").exists();
    List<String> a = Files.readAllLines(first, StandardCharsets.UTF_8);
    List<String> b = Files.readAllLines(second, StandardCharsets.UTF_8);
    assertThat(a).as("%s: a header and a few dozen steps", first).hasSizeGreaterThan(20);
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      if (!a.get(i).equals(b.get(i))) {
        String step = a.get(i).split("\t", 2)[0];
        fail("pretraining differs first at step %s (line %d of %s):%n  first:  %s%n"
            + "  second: %s", step, i + 1, first, a.get(i), b.get(i));
      }
    }
    assertThat(b).as("lines of the second run's %s", STEP_LOG).hasSameSizeAs(a);
  }
}
