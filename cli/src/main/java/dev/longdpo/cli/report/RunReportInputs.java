package dev.longdpo.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.longdpo.actors.evaluator.EvalRecord;
import dev.longdpo.actors.host.EvaluatorHost;
import dev.longdpo.cli.train.TrainingLog;
import dev.longdpo.gpuworker.TrainerCheckpoints;
import dev.longdpo.gpuworker.dpo.StepMetrics;
import dev.longdpo.model.checkpoint.WeightsHash;
import dev.longdpo.testbed.task.LengthBuckets;
import dev.longdpo.testbed.task.TaskFile;
import dev.longdpo.testbed.task.WritingTask;
import dev.longdpo.testbed.world.Split;
import dev.longdpo.testbed.world.World;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a finished run of the demo's job left in its directory, read back for its report: how it
 * was submitted, the search's summary, the outcome baseline's plan, each variant's training
 * (steps and end) and the evaluations of the checkpoints now on disk. A table row is the
 * evaluation of exactly the weights on disk: the base's and each variant's latest checkpoint's,
 * found by weights hash ({@code eval/<checkpoint>-<hash12>.json}).
 *
 * @param seconds from the submit to this reading
 * @param finished each variant's last {@code finished} record ({@code train/<variant>.jsonl})
 * @param steps each variant's steps, one per step number (a step redone after a resume: its last run)
 * @param evaluations every evaluation of a checkpoint on disk, by variant and step
 * @param basePretraining the embedded base's own report ({@code base/report.json}: its pretraining's
 *     seconds and peak resident set, in a JVM of its own); missing for a base from elsewhere
 */
public record RunReportInputs(
    String runId, boolean quick, long seed, double seconds, String baseSha256, Config search, JsonNode searchSummary,
    JsonNode outcomePlan, Map<String, JsonNode> finished, Map<String, List<TrainingLog.Step>> steps,
    List<EvalRecord> evaluations, EvalRecord base, EvalRecord dpo, EvalRecord longdpo, JsonNode basePretraining) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> VARIANTS = List.of("dpo", "longdpo");

  /** Reads the run in {@code runDir}; throws naming the file that is missing or does not fit. */
  public static RunReportInputs read(Path runDir) throws IOException {
    JsonNode submitted = json(runDir.resolve("submit.json"));
    JsonNode state = json(runDir.resolve("state.json"));
    Config search = ConfigFactory.parseFile(runDir.resolve("search.conf").toFile()).resolve();
    Map<String, WritingTask> tasks = new LinkedHashMap<>();
    for (WritingTask t : TaskFile.read(runDir.resolve(EvaluatorHost.EVAL_PROMPTS))) {
      tasks.put(t.id(), t);
    }
    Map<String, String> identities = new LinkedHashMap<>(); // checkpoint name -> its evaluation's identity
    identities.put("base", identity("base", runDir.resolve("base")));
    Map<String, JsonNode> finished = new LinkedHashMap<>();
    Map<String, List<TrainingLog.Step>> steps = new LinkedHashMap<>();
    Map<String, String> latest = new LinkedHashMap<>();
    Path checkpoints = runDir.resolve("checkpoints");
    for (String v : VARIANTS) {
      List<TrainerCheckpoints.Found> all = TrainerCheckpoints.all(checkpoints, v);
      if (all.isEmpty()) {
        throw new IOException(checkpoints + ": no checkpoint of " + v);
      }
      for (TrainerCheckpoints.Found f : all) {
        identities.put(f.name(), identity(f.name(), f.dir()));
      }
      latest.put(v, all.get(all.size() - 1).name());
      readTraining(runDir.resolve("train").resolve(v + ".jsonl"), v, finished, steps);
    }
    List<EvalRecord> evaluations = new ArrayList<>();
    Map<String, EvalRecord> byCheckpoint = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : identities.entrySet()) {
      Path record = runDir.resolve("eval").resolve(e.getValue() + ".json");
      if (Files.exists(record)) {
        EvalRecord read = EvalRecord.read(record, tasks, LengthBuckets.TESTBED);
        // Named by its checkpoint, as the table shows it (the record's name carries the hash).
        EvalRecord r = new EvalRecord(e.getKey(), read.variant(), read.path(), read.step(), read.trainedTokens(),
            read.last(), read.seed(), read.seconds(), read.scores(), read.samples());
        evaluations.add(r);
        byCheckpoint.put(e.getKey(), r);
      }
    }
    evaluations.sort(Comparator.comparing(EvalRecord::variant).thenComparingLong(EvalRecord::step));
    return new RunReportInputs(submitted.path("runId").asText(), submitted.path("testbedQuick").asBoolean(),
        Math.max(1, submitted.path("seed").asLong()),
        (System.currentTimeMillis() - submitted.path("submittedEpochMs").asLong()) / 1000.0,
        state.path("baseSha256").asText(), search, json(runDir.resolve("summary.json")),
        json(runDir.resolve("outcome").resolve("plan.json")), finished, steps, List.copyOf(evaluations),
        row(byCheckpoint, "base", runDir, identities), row(byCheckpoint, latest.get("dpo"), runDir, identities),
        row(byCheckpoint, latest.get("longdpo"), runDir, identities), basePretraining(runDir.resolve("base")));
  }

  private static JsonNode basePretraining(Path base) throws IOException {
    Path report = base.resolve("report.json"); // an embedded base carries its pretraining report
    return Files.exists(report) ? JSON.readTree(report.toFile()) : MissingNode.getInstance();
  }

  /**
   * The split of the world's subjects the evaluation tasks are about ("test", "validation"), read
   * from the tasks themselves; "mixed" or "unsplit" for tasks that do not keep to one split.
   */
  public String evalSplit() {
    java.util.Set<String> splits = new java.util.TreeSet<>();
    for (var s : base.samples()) {
      splits.add(s.task().topic().flatMap(t -> World.get().splitOf(t.subject())).map(Split::label).orElse("unsplit"));
    }
    return splits.size() == 1 ? splits.iterator().next() : "mixed";
  }

  private static String identity(String name, Path weights) throws IOException {
    return name + "-" + WeightsHash.of(weights).substring(0, 12);
  }

  private static EvalRecord row(Map<String, EvalRecord> byCheckpoint, String checkpoint, Path runDir,
      Map<String, String> identities) throws IOException {
    EvalRecord r = byCheckpoint.get(checkpoint);
    if (r == null) {
      throw new IOException(runDir.resolve("eval").resolve(identities.get(checkpoint) + ".json")
          + ": missing (no evaluation of " + checkpoint + " as its weights are now)");
    }
    return r;
  }

  /** A variant's step records and its last end record. */
  private static void readTraining(Path file, String variant, Map<String, JsonNode> finished,
      Map<String, List<TrainingLog.Step>> steps) throws IOException {
    if (!Files.exists(file)) {
      throw new IOException(file + ": missing (the trainers' records of " + variant + ")");
    }
    TreeMap<Long, TrainingLog.Step> byStep = new TreeMap<>();
    int line = 0;
    for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      line++;
      if (text.isBlank()) {
        continue;
      }
      JsonNode n;
      try {
        n = JSON.readTree(text);
      } catch (IOException e) {
        throw new IOException(file + ":" + line + ": not JSON (" + e.getMessage() + ")", e);
      }
      switch (n.path("event").asText()) {
        case "step" -> {
          Map<String, Double> m = new LinkedHashMap<>();
          n.fields().forEachRemaining(f -> {
            if (f.getValue().isNumber() || f.getValue().isTextual()) {
              m.put(f.getKey(), f.getValue().asDouble());
            }
          });
          StepMetrics metrics = StepMetrics.fromMap(m, n.path("skipped").asBoolean());
          byStep.put(metrics.step(), new TrainingLog.Step(n.path("epoch").asInt(), metrics));
        }
        case "finished" -> finished.put(variant, n);
        default -> { }
      }
    }
    if (!finished.containsKey(variant)) {
      throw new IOException(file + ": " + variant + " never finished");
    }
    steps.put(variant, List.copyOf(byStep.values()));
  }

  private static JsonNode json(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new IOException(file + ": missing");
    }
    return JSON.readTree(file.toFile());
  }
}
