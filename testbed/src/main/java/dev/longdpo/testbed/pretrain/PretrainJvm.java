package dev.longdpo.testbed.pretrain;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import dev.longdpo.model.runtime.SiblingJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Runs a pretraining in a JVM of its own, started from this JVM's class path, and relays its
 * progress to a listener.
 *
 * <p>Why a JVM of its own: pretraining allocates and frees native arrays of 4 to 40 MB every step,
 * and runs fastest when glibc keeps them in its arenas instead of mapping each afresh; the demo and
 * the nodes run best the other way round, with large blocks mapped and handed back (their resident
 * set stays low). One process cannot have both: arenas grown by the pretraining stay grown for
 * the demo after it (0.3 GB higher, docs/footprint.md). A JVM of its own is started with the
 * training's malloc settings ({@link SiblingJvm#putTrainingMallocSettings}) and hands everything back when it
 * exits. Its weights are the same bits as an in-process run's (same collector, same threads).
 */
public final class PretrainJvm {

  /** Heap of the pretraining JVM: its tensors live outside the heap, as the launcher's JVMs'. */
  private static final String HEAP = "-Xmx512m";

  /** How many of the child's last output lines an error quotes. */
  private static final int TAIL_LINES = 30;

  private PretrainJvm() {}

  /** Pretrains the base into its store, under the store's lock; returns once the model is there. */
  static void pretrainIntoStore(Config config, PretrainListener listener) throws IOException {
    run(config, List.of("store"), listener);
  }

  /** Pretrains into {@code out} (its work directory beside it). */
  static void pretrainInto(Config config, Path out, PretrainListener listener) throws IOException {
    run(config, List.of("out", out.toAbsolutePath().toString()), listener);
  }

  private static void run(Config config, List<String> mode, PretrainListener listener) throws IOException {
    Path settings = Files.createTempFile("longdpo-pretrain-", ".json");
    try {
      Files.writeString(settings, settingsItNeeds(config).root().render(ConfigRenderOptions.concise()));
      List<String> jvmOptions = new ArrayList<>(List.of(HEAP));
      jvmOptions.addAll(SiblingJvm.djlProperties()); // the same natives and threads as this JVM
      List<String> args = new ArrayList<>(List.of(settings.toString(), Long.toString(ProcessHandle.current().pid())));
      args.addAll(mode);
      ProcessBuilder pb = new ProcessBuilder(SiblingJvm.command(jvmOptions, PretrainJvmMain.class.getName(), args))
          .redirectErrorStream(true);
      // Measured on a short pretraining (1,000 documents, one epoch): 34 to 36 s against 50 s under
      // the launcher's settings, 67 k minor page faults against 1.36 M; without huge pages 43 s.
      SiblingJvm.putTrainingMallocSettings(pb.environment());
      watch(pb.start(), listener);
    } finally {
      Files.deleteIfExists(settings);
    }
  }

  /**
   * Relays the child's progress until it exits; throws with its reason and last lines if it failed.
   * The child dies with this JVM (a shutdown hook here, and the child watches its parent).
   */
  private static void watch(Process child, PretrainListener listener) throws IOException {
    Thread killer = new Thread(child::destroyForcibly, "pretrain-jvm-killer");
    Runtime.getRuntime().addShutdownHook(killer);
    Deque<String> tail = new ArrayDeque<>();
    Optional<String> failure = Optional.empty();
    listener.info("pretraining in a JVM of its own (pid " + child.pid() + ")");
    try (BufferedReader r = reader(child.getInputStream())) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith(ProgressLines.PREFIX)) {
          try {
            Optional<String> reason = ProgressLines.dispatch(line, listener);
            failure = reason.isPresent() ? reason : failure;
            continue;
          } catch (IllegalArgumentException notOurs) {
            // kept below, as any other line
          }
        }
        // A library's own output (a warning, a stack trace): kept for the error, else dropped.
        tail.addLast(line);
        if (tail.size() > TAIL_LINES) {
          tail.removeFirst();
        }
      }
      int exit = child.waitFor();
      if (exit != 0) {
        throw new IOException("pretraining failed in its JVM (pid " + child.pid() + ", exit code " + exit + "): "
            + failure.orElse("no reason given") + (tail.isEmpty() ? "" : "\n  its last lines:\n  "
            + String.join("\n  ", tail)));
      }
    } catch (InterruptedException e) {
      child.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while pretraining in pid " + child.pid(), e);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(killer);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    }
  }

  /** What the pretraining reads: the home (its store), the model's runtime and the testbed's settings. */
  private static Config settingsItNeeds(Config config) {
    return config.withOnlyPath("longdpo.home")
        .withFallback(config.withOnlyPath("longdpo.model"))
        .withFallback(config.withOnlyPath("longdpo.testbed"));
  }

  private static BufferedReader reader(InputStream in) {
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }
}
