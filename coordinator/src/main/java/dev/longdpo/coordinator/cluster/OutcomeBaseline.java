package dev.longdpo.coordinator.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.longdpo.coordinator.outcome.OutcomePairs;
import dev.longdpo.coordinator.outcome.OutcomeSettings;
import dev.longdpo.coordinator.run.PairLog;
import dev.longdpo.coordinator.run.RunDirectory;
import dev.longdpo.actors.backend.RunBackends;
import dev.longdpo.config.files.AtomicDirectory;
import dev.longdpo.protocol.pairs.PreferencePair;
import dev.longdpo.protocol.search.TaskSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The outcome-DPO baseline of the demo's job: pairs of whole answers sampled from the base (best
 * against worst of several per training prompt), trained on as many chosen + rejected tokens as the
 * stepwise variant trains on (every search pair, every epoch). Sampled once, after the search, into
 * {@code <run>/outcome/}: its own pair log and {@code plan.json}, written whole or not at all, so a
 * manager that takes over reads them back and a trainer of the baseline resumes from its
 * checkpoints like any other.
 */
final class OutcomeBaseline {

  /** The directory under the run. */
  static final String DIR = "outcome";
  static final String PLAN = "plan.json";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * What the baseline trains.
   *
   * @param pairTokens chosen + rejected tokens of all its pairs together
   * @param tokenBudget tokens to train on: the stepwise variant's epochs times its pairs' tokens
   * @param stepwisePairs the search's pairs the budget was counted on
   */
  record Plan(int pairs, long pairTokens, long tokenBudget, long stepwisePairs, int answersPerPrompt) {}

  /** The baseline's pairs and plan. */
  record Prepared(List<PreferencePair> pairs, Plan plan) {}

  private OutcomeBaseline() {}

  /**
   * The run's baseline: read from {@code <run>/outcome/} if it is there, else sampled (on the
   * calling thread: minutes) and written.
   *
   * @param progress hears how many prompts are sampled so far
   */
  static Prepared prepare(Path runDir, Config nodeConfig, Consumer<String> progress) throws IOException {
    Path dir = runDir.resolve(DIR);
    if (Files.exists(dir.resolve(PLAN))) {
      return new Prepared(PairLog.readOnly(dir.resolve(RunDirectory.PAIR_LOG)).pairs(),
          JSON.readValue(Files.readString(dir.resolve(PLAN)), Plan.class));
    }
    RunDirectory run = RunDirectory.existing(runDir);
    Config config = ConfigFactory.parseFile(runDir.resolve(ClusterRunFiles.OUTCOME).toFile())
        .withFallback(ConfigFactory.parseFile(runDir.resolve(ClusterRunFiles.TRAIN).toFile()))
        .withFallback(nodeConfig).resolve();
    OutcomeSettings settings = OutcomeSettings.create(config);
    List<PreferencePair> stepwise = PairLog.readOnly(run.pairLog()).pairs();
    long budget = config.getInt("longdpo.train.epochs") * tokens(stepwise);
    List<TaskSpec> tasks = run.taskSpecs();
    List<PreferencePair> pairs;
    progress.accept("outcome baseline: sampling whole answers");
    try (RunBackends.Answering b = RunBackends.answering(runDir.resolve(ClusterRunFiles.BASE))) {
      pairs = new OutcomePairs(b.prompts(), b.sampler(), b.judge(), settings).build(RunManager.OUTCOME_VARIANT, tasks,
          n -> progress.accept("outcome baseline: " + n + "/" + tasks.size() + " prompts sampled"));
    }
    if (pairs.isEmpty()) {
      throw new IOException("the outcome baseline has no pairs (every prompt's answers scored alike)");
    }
    Plan plan = new Plan(pairs.size(), tokens(pairs), budget, stepwise.size(), settings.answersPerPrompt());
    AtomicDirectory.write(dir, tmp -> {
      try (PairLog log = PairLog.open(tmp.resolve(RunDirectory.PAIR_LOG))) {
        log.append(pairs);
        log.flush();
      }
      Files.writeString(tmp.resolve(PLAN), JSON.writeValueAsString(plan), StandardCharsets.UTF_8);
    });
    return new Prepared(pairs, plan);
  }

  private static long tokens(List<PreferencePair> pairs) {
    return pairs.stream().mapToLong(p -> p.chosen().tokens().length + p.rejected().tokens().length).sum();
  }
}
