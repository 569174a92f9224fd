package dev.longdpo.actors.evaluator;

import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.checkpoint.AtomicFile;
import dev.longdpo.model.checkpoint.CheckpointException;
import dev.longdpo.model.tokenizer.TextTokenizer;
import dev.longdpo.testbed.metrics.EvalScores;
import dev.longdpo.testbed.metrics.Sample;
import dev.longdpo.testbed.metrics.TaskSampler;
import dev.longdpo.testbed.task.LengthBuckets;
import dev.longdpo.testbed.task.WritingTask;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Evaluates one model on the held-out tasks with the fixed decoding settings and writes {@code
 * <eval-dir>/<checkpoint>.json}, then appends its scores to {@code <eval-dir>/evaluations.jsonl}
 * (the run report's log). Blocking: callers run it on a thread that may block.
 */
public final class CheckpointEvaluation {

  /** The evaluations log in the eval directory, a summary line per checkpoint. */
  public static final String LOG = "evaluations.jsonl";

  /** What to evaluate. */
  public record Target(String checkpoint, String variant, Path path, long step, long trainedTokens, boolean last) {}

  private final List<WritingTask> tasks;
  private final LengthBuckets buckets;
  private final EvalSettings settings;
  private final Path evalDir;

  /**
   * @param tasks the held-out tasks
   * @param evalDir where records go
   */
  public CheckpointEvaluation(List<WritingTask> tasks, LengthBuckets buckets, EvalSettings settings, Path evalDir) {
    this.tasks = List.copyOf(tasks);
    this.buckets = buckets;
    this.settings = settings;
    this.evalDir = evalDir;
  }

  /**
   * Loads the target's model (a checkpoint without a tokenizer is an error naming the file),
   * samples every task, scores and writes.
   *
   * @param progress called with the number of tasks done
   */
  public EvalRecord evaluate(Target target, IntConsumer progress) throws IOException {
    long started = System.nanoTime();
    Path tokenizer = target.path().resolve(TextTokenizer.FILE);
    if (!Files.exists(tokenizer)) {
      throw new CheckpointException(tokenizer, "missing: a checkpoint needs its tokenizer to be evaluated");
    }
    List<Sample> samples;
    try (LanguageModel model = LanguageModel.load(target.path())) {
      samples = TaskSampler.sample(model, tasks, settings.seed(), settings.batchSize(), progress);
    }
    EvalScores scores = EvalScores.of(samples, buckets);
    EvalRecord r = new EvalRecord(target.checkpoint(), target.variant(), target.path().toString(), target.step(),
        target.trainedTokens(), target.last(), settings.seed(), (System.nanoTime() - started) / 1e9, scores, samples);
    write(r);
    return r;
  }

  /** Writes the record atomically and appends its summary line to the log. */
  public void write(EvalRecord r) throws IOException {
    Files.createDirectories(evalDir);
    AtomicFile.writeString(evalDir.resolve(r.checkpoint() + ".json"), r.toJson());
    Files.writeString(evalDir.resolve(LOG), r.summaryLine() + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** The held-out tasks. */
  public List<WritingTask> tasks() {
    return tasks;
  }
}
