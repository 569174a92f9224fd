package dev.longdpo.actors.evaluator;

import dev.longdpo.model.LanguageModel;
import dev.longdpo.config.files.AtomicFile;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Evaluates one model on the held-out tasks with the fixed decoding settings and writes {@code
 * <eval-dir>/<checkpoint>.json}, then appends its scores to {@code <eval-dir>/evaluations.jsonl}
 * (the run report's log). Blocking: callers run it on a thread that may block, in one go or a
 * batch of tasks at a time.
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
   * Evaluates {@code target} in one go: see {@link #start}.
   *
   * @param progress called with the number of tasks done
   */
  public EvalRecord evaluate(Target target, IntConsumer progress) throws IOException {
    try (Running running = start(target)) {
      while (!running.sampled()) {
        progress.accept(running.sampleNext());
      }
      return running.finish();
    }
  }

  /**
   * Loads the target's model, one copy per thread (a checkpoint without a tokenizer is an error
   * naming the file), for an evaluation that the caller samples batch by batch, so it can give up
   * between batches.
   */
  public Running start(Target target) throws IOException {
    Path tokenizer = target.path().resolve(TextTokenizer.FILE);
    if (!Files.exists(tokenizer)) {
      throw new CheckpointException(tokenizer, "missing: a checkpoint needs its tokenizer to be evaluated");
    }
    List<LanguageModel> models = new ArrayList<>();
    try {
      for (int i = 0; i < settings.threads(); i++) {
        models.add(LanguageModel.load(target.path()));
      }
    } catch (RuntimeException e) {
      models.forEach(LanguageModel::close);
      throw e;
    }
    return new Running(target, models);
  }

  /**
   * An evaluation under way: its models, loaded, and the answers sampled so far. Each call samples
   * up to one batch per model, the first on the caller's thread and the others on threads of its
   * own, each with its own model (a model serves one thread at a time).
   */
  public final class Running implements AutoCloseable {
    private final Target target;
    private final List<LanguageModel> models;
    private final ExecutorService helpers;
    private final long started = System.nanoTime();
    private final List<Sample> samples = new ArrayList<>();

    private Running(Target target, List<LanguageModel> models) {
      this.target = target;
      this.models = models;
      this.helpers = models.size() > 1 ? Executors.newFixedThreadPool(models.size() - 1, EvalThreads.FACTORY) : null;
    }

    /** What is being evaluated. */
    public Target target() {
      return target;
    }

    /** Samples the next batches of tasks, one per model, and returns how many tasks are done. */
    public int sampleNext() {
      int from = samples.size();
      List<Future<List<Sample>>> others = new ArrayList<>();
      for (int i = 1, start = from + settings.batchSize(); i < models.size() && start < tasks.size();
          i++, start += settings.batchSize()) {
        LanguageModel model = models.get(i);
        List<WritingTask> batch = batchAt(start);
        others.add(helpers.submit(() -> TaskSampler.sampleBatch(model, batch, settings.seed())));
      }
      List<Sample> first = TaskSampler.sampleBatch(models.get(0), batchAt(from), settings.seed());
      List<Sample> rest = new ArrayList<>();
      for (Future<List<Sample>> f : others) {
        rest.addAll(EvalThreads.join(f, target.checkpoint()));
      }
      samples.addAll(first);
      samples.addAll(rest);
      return samples.size();
    }

    private List<WritingTask> batchAt(int from) {
      return tasks.subList(from, Math.min(tasks.size(), from + settings.batchSize()));
    }

    /** Whether every task has its answer. */
    public boolean sampled() {
      return samples.size() >= tasks.size();
    }

    /** Scores the answers and writes the record; only once {@link #sampled()}. */
    public EvalRecord finish() throws IOException {
      if (!sampled()) {
        throw new IllegalStateException(
            target.checkpoint() + ": " + samples.size() + " of " + tasks.size() + " tasks sampled");
      }
      EvalScores scores = EvalScores.of(samples, buckets);
      EvalRecord r = new EvalRecord(target.checkpoint(), target.variant(), target.path().toString(), target.step(),
          target.trainedTokens(), target.last(), settings.seed(), (System.nanoTime() - started) / 1e9, scores, samples);
      write(r);
      return r;
    }

    /** Stops the helper threads (after the batch they are on) and frees the models. */
    @Override
    public void close() {
      if (helpers != null) {
        EvalThreads.stop(helpers);
      }
      models.forEach(LanguageModel::close);
    }
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
