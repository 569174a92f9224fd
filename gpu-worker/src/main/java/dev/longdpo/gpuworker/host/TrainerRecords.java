package dev.longdpo.gpuworker.host;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longdpo.gpuworker.TrainingListener;
import dev.longdpo.gpuworker.dpo.StepMetrics;
import dev.longdpo.protocol.training.CheckpointWritten;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A variant's training as the run directory records it: {@code <run>/train/<variant>.jsonl}, one
 * line per event (started, step, checkpoint, finished, failed), each with the trainer node, its
 * assignment and the time. Whoever trains the variant next appends to the same file, so the file
 * tells where a moved trainer resumed and that no step ran while the run was paused. Called from
 * the worker's thread.
 */
final class TrainerRecords implements TrainingListener {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final String node;
  private final long assignment;

  TrainerRecords(Path runDir, String variant, String node, long assignment) {
    this.file = runDir.resolve("train").resolve(variant + ".jsonl");
    this.node = node;
    this.assignment = assignment;
  }

  private ObjectNode event(String kind) {
    ObjectNode n = JSON.createObjectNode();
    n.put("event", kind);
    n.put("node", node);
    n.put("assignment", assignment);
    n.put("time_ms", System.currentTimeMillis());
    return n;
  }

  private void append(ObjectNode n) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, n + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void started(String variant, String resumedFrom, long step, long streamOffset, int epoch) {
    ObjectNode n = event("started");
    n.put("resumed_from", resumedFrom);
    n.put("step", step);
    n.put("offset", streamOffset);
    n.put("epoch", epoch);
    append(n);
  }

  @Override
  public void paused(String variant, boolean paused, long step) {
    ObjectNode n = event(paused ? "paused" : "resumed");
    n.put("step", step);
    append(n);
  }

  @Override
  public void stepped(String variant, int epoch, StepMetrics metrics, long nextOffset) {
    ObjectNode n = event("step");
    n.put("epoch", epoch);
    n.put("offset", nextOffset);
    n.put("skipped", metrics.skipped());
    metrics.asMap().forEach(n::put);
    n.put("step", metrics.step()); // an integer, not the map's double
    append(n);
  }

  @Override
  public void checkpointed(CheckpointWritten c) {
    ObjectNode n = event("checkpoint");
    n.put("name", c.name());
    n.put("step", c.step());
    n.put("offset", c.streamOffset());
    n.put("last", c.last());
    append(n);
  }

  @Override
  public void finished(String variant, TrainingSummary s) {
    ObjectNode n = event("finished");
    n.put("steps", s.steps());
    n.put("pairs", s.pairs());
    n.put("trained_tokens", s.trainedTokens());
    n.put("epochs", s.epochs());
    n.put("skipped_steps", s.skippedSteps());
    n.put("recomputed_steps", s.recomputedSteps());
    n.put("seconds", s.seconds());
    n.put("checkpoint", s.lastCheckpoint() == null ? "" : s.lastCheckpoint().name());
    append(n);
  }

  @Override
  public void failed(String variant, Exception error) {
    ObjectNode n = event("failed");
    n.put("reason", String.valueOf(error.getMessage()));
    append(n);
  }
}
