package dev.longdpo.cli.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longdpo.gpuworker.TrainingListener;
import dev.longdpo.gpuworker.dpo.StepMetrics;
import dev.longdpo.protocol.training.CheckpointWritten;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records what the gpu-workers report: every step's metrics (TRL's names) as a line of {@code
 * <dir>/<variant>.metrics.jsonl}, kept in memory too for the plots, and each worker's end as a
 * future. Thread-safe: workers call it from their own threads.
 */
public final class TrainingLog implements TrainingListener, AutoCloseable {

  /** A step as recorded. */
  public record Step(int epoch, StepMetrics metrics) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final Map<String, Writer> writers = new ConcurrentHashMap<>();
  private final Map<String, List<Step>> steps = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<TrainingSummary>> done = new ConcurrentHashMap<>();
  private final Map<String, StepMetrics> latest = new ConcurrentHashMap<>();

  /** A log writing into {@code dir}. */
  public TrainingLog(Path dir) {
    this.dir = dir;
  }

  /** The future completed when {@code variant} finishes (exceptionally if it fails). */
  public CompletableFuture<TrainingSummary> done(String variant) {
    return done.computeIfAbsent(variant, v -> new CompletableFuture<>());
  }

  /** The steps of a variant so far. */
  public List<Step> steps(String variant) {
    synchronized (this) {
      return List.copyOf(steps.getOrDefault(variant, List.of()));
    }
  }

  /** The latest step's metrics, if any. */
  public StepMetrics latest(String variant) {
    return latest.get(variant);
  }

  @Override
  public void stepped(String variant, int epoch, StepMetrics m) {
    ObjectNode n = JSON.createObjectNode();
    n.put("variant", variant);
    n.put("epoch", epoch);
    n.put("skipped", m.skipped());
    m.asMap().forEach(n::put);
    synchronized (this) {
      steps.computeIfAbsent(variant, v -> new ArrayList<>()).add(new Step(epoch, m));
    }
    latest.put(variant, m);
    try {
      Writer w = writers.computeIfAbsent(variant, this::open);
      synchronized (w) {
        w.write(n.toString());
        w.write('\n');
        w.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Writer open(String variant) {
    try {
      Files.createDirectories(dir);
      return Files.newBufferedWriter(dir.resolve(variant + ".metrics.jsonl"), StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void checkpointed(CheckpointWritten checkpoint) {}

  @Override
  public void finished(String variant, TrainingSummary summary) {
    done(variant).complete(summary);
  }

  @Override
  public void failed(String variant, Exception error) {
    done(variant).completeExceptionally(error);
  }

  @Override
  public void close() throws IOException {
    for (Writer w : writers.values()) {
      w.close();
    }
  }
}
