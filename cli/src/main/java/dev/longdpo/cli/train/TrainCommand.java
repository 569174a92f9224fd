package dev.longdpo.cli.train;

import com.typesafe.config.Config;
import dev.longdpo.actors.backend.BackendSettings;
import dev.longdpo.cli.BackendChoice;
import dev.longdpo.cli.BadInputException;
import dev.longdpo.cli.EmbeddedDefault;
import dev.longdpo.cli.ExitCodes;
import dev.longdpo.cli.GlobalOptions;
import dev.longdpo.cli.Progress;
import dev.longdpo.coordinator.run.PairLog;
import dev.longdpo.coordinator.run.ReferenceRecord;
import dev.longdpo.coordinator.run.RunDirectory;
import dev.longdpo.gpuworker.TrainingListener;
import dev.longdpo.model.checkpoint.WeightsHash;
import dev.longdpo.protocol.pairs.PreferencePair;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Stepwise DPO on the pairs of a finished (or interrupted) search run. */
@Command(
    mixinStandardHelpOptions = true,
    name = "train",
    description = {
      "Train with stepwise DPO on the pairs of a search run (RUN_DIR/pairs.log), replayed as the",
      "pair stream a live search gives. One gpu-worker per --variant, side by side, each with its",
      "own model; checkpoints go to OUT/checkpoints, step metrics to OUT/<variant>.metrics.jsonl."
    })
public final class TrainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--pairs", required = true, paramLabel = "<run-dir>", description = "A search run directory.")
  Path runDir;

  @Option(names = "--out", paramLabel = "<dir>", description = "Where checkpoints and metrics go (default RUN_DIR/train).")
  Path out;

  @Option(names = "--model", paramLabel = "<dir>",
      description = "The model the pairs were sampled from (their reference); default the embedded base.")
  Path model;

  @Option(names = "--backend-config", paramLabel = "<file>",
      description = "HOCON choosing each role's backend; its djl policy's model is the reference trained from.")
  Path backendConfig;

  @Option(names = "--variant", paramLabel = "<name[:key=value,...]>",
      description = {"A model variant with overrides of longdpo.train, e.g. longdpo-b0.3:beta=0.3.",
          "Repeat to train several side by side (default: one, 'longdpo')."})
  List<String> variants = new ArrayList<>();

  @Option(names = "--token-budget", paramLabel = "<tokens>",
      description = "Train each variant on this many chosen + rejected tokens, replaying as needed (instead of epochs).")
  long tokenBudget;

  @Option(names = "--schedule-steps", paramLabel = "<n>",
      description = {"The cosine schedule's length (default: exact for these pairs). Give a live run's",
          "(its checkpoints' schedule_steps) to replay it step for step."})
  int scheduleSteps;

  @Option(names = "--resume",
      description = {"Resume each variant from its latest checkpoint in OUT/checkpoints (after a crash or a",
          "kill): weights, optimizer, schedule, stream offset; the result is an uninterrupted run's."})
  boolean resume;

  @Override
  public Integer call() throws Exception {
    Config config = BackendChoice.apply(GlobalOptions.of(spec).config(), backendConfig, model);
    List<VariantSpec> specs = new ArrayList<>();
    for (String v : variants) {
      specs.add(VariantSpec.parse(v));
    }
    if (specs.isEmpty()) {
      specs = VariantSpec.defaults("longdpo");
    }
    Path log = runDir.resolve(RunDirectory.PAIR_LOG);
    if (!Files.exists(log)) {
      throw new BadInputException(log + ": no pair log: --pairs wants a search run directory");
    }
    PairLog.Contents contents = PairLog.readOnly(log);
    List<PreferencePair> pairs = contents.pairs();
    String damage = contents.damage().stream().map(PairLog.Damage::describe).collect(Collectors.joining("; "));
    if (contents.damage().stream().anyMatch(d -> d.kind() == PairLog.Damage.Kind.UNVERIFIABLE)) {
      throw new BadInputException(log + ": " + damage + " (" + pairs.size() + " pairs before it)");
    }
    if (pairs.isEmpty()) {
      throw new BadInputException(log + ": holds no readable pairs" + (damage.isEmpty() ? "" : " (" + damage + ")"));
    }
    if (!damage.isEmpty()) {
      spec.commandLine().getErr().println(log + ": skipped " + damage + "; training on the " + pairs.size()
          + " intact pairs");
    }
    if (scheduleSteps < 0) {
      throw new BadInputException("--schedule-steps: must be 1 or more, got " + scheduleSteps);
    }
    BackendSettings backends = BackendSettings.create(config);
    Path outDir = out != null ? out : runDir.resolve("train");
    PrintWriter w = spec.commandLine().getOut();
    try (Progress progress = new Progress(spec.commandLine().getErr())) {
      // Training starts from the reference: its own model where the backends name one, else the policy's.
      Optional<Path> named = backends.referenceModel().or(backends::model);
      Path base = named.isPresent() ? named.get() : EmbeddedDefault.baseModel(config, progress);
      requireReference(base);
      try (TrainingLog metrics = new TrainingLog(outDir)) {
        train(config, pairs, base, specs, outDir, metrics, progress, w);
      }
    }
    return ExitCodes.OK;
  }

  /**
   * Refuses a model other than the reference whose log-probs the pairs carry: DPO would compare the
   * policy with one model's numbers and start from another's weights.
   */
  private void requireReference(Path base) throws IOException {
    Optional<ReferenceRecord> ref = ReferenceRecord.read(runDir.resolve(RunDirectory.REFERENCE));
    if (ref.isEmpty()) {
      spec.commandLine().getErr().println(runDir.resolve(RunDirectory.REFERENCE) + ": missing (a run from before it"
          + " was recorded): the pairs' log-probs are taken to be " + base + "'s");
      return;
    }
    String sha = WeightsHash.of(base);
    if (!sha.equals(ref.get().weightsSha256())) {
      throw new BadInputException(base + ": weights " + sha + " are not the reference the pairs of " + runDir
          + " were scored with (" + ref.get().weightsSha256() + ", in " + RunDirectory.REFERENCE + "); train with"
          + " that model (--model), or search again with this one");
    }
  }

  private void train(Config config, List<PreferencePair> pairs, Path base, List<VariantSpec> specs, Path outDir,
      TrainingLog metrics, Progress progress, PrintWriter w) throws Exception {
    Map<String, TrainingListener.TrainingSummary> done =
        TrainJob.replay(config, pairs, base, specs, outDir.resolve("checkpoints"), tokenBudget, scheduleSteps, resume,
            metrics, progress);
    done.forEach((variant, s) -> w.printf(Locale.ROOT,
        "%s: %d steps (non-finite gradients: %d recomputed, %d skipped), %d pairs, %d tokens, %d epochs in %.1f s"
            + " (%.1f s in steps); last checkpoint %s%n",
        variant, s.steps(), s.recomputedSteps(), s.skippedSteps(), s.pairs(), s.trainedTokens(), s.epochs(), s.seconds(),
        s.trainSeconds(), s.lastCheckpoint().path()));
  }
}
