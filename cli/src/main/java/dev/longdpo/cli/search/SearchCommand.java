package dev.longdpo.cli.search;

import com.typesafe.config.Config;
import dev.longdpo.actors.ActorsSettings;
import dev.longdpo.actors.backend.BackendSettings;
import dev.longdpo.actors.backend.ModelReference;
import dev.longdpo.cli.BackendChoice;
import dev.longdpo.cli.EmbeddedDefault;
import dev.longdpo.cli.ExitCodes;
import dev.longdpo.cli.GlobalOptions;
import dev.longdpo.cli.Progress;
import dev.longdpo.coordinator.RunSummary;
import dev.longdpo.coordinator.run.ReferenceRecord;
import dev.longdpo.coordinator.search.SearchSettings;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.checkpoint.WeightsHash;
import dev.longdpo.testbed.task.TaskFile;
import dev.longdpo.testbed.task.WritingTask;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the LongDPO search alone, on the embedded base or a checkpoint. */
@Command(
    mixinStandardHelpOptions = true,
    name = "search",
    description = {
      "Build stepwise preference pairs with the LongDPO tree search, sampling from the embedded base",
      "or --model (which is also the reference whose log-probs the pairs carry).",
      "Pairs go to RUN_DIR/pairs.log; rerunning into the same directory resumes (completed prompts",
      "are skipped); different settings are refused."
    })
public final class SearchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--prompts", required = true, paramLabel = "<file.jsonl>",
      description = "Prompts in LongBench-Write's JSONL shape (testbed tasks carry topic and sections).")
  Path prompts;

  @Option(names = "--out", required = true, paramLabel = "<run-dir>", description = "Run directory.")
  Path out;

  @Option(names = "--limit", paramLabel = "<n>", description = "Search only the first n prompts.")
  Integer limit;

  @Option(names = "--model", paramLabel = "<dir>",
      description = {"A checkpoint directory (config.json, model.safetensors, tokenizer.json) to sample from",
          "instead of the embedded base (the djl policy); the judge, critic and memory pool stay the testbed's."})
  Path model;

  @Option(names = "--reference-model", paramLabel = "<dir>",
      description = {"A checkpoint directory to score each pair's sides with, when the policy is not the",
          "reference (the pairs then carry its log-probs; train them with --model DIR on it)."})
  Path referenceModel;

  @Option(names = "--backend-config", paramLabel = "<file>",
      description = "HOCON choosing each role's backend (longdpo.backends' keys at its root; see reference.conf).")
  Path backendConfig;

  @Option(names = "--run-id", defaultValue = "search", paramLabel = "<id>", description = "Run id, part of every pair id.")
  String runId;

  @Override
  public Integer call() throws Exception {
    Config config = BackendChoice.apply(GlobalOptions.of(spec).config(), backendConfig, model, referenceModel);
    BackendSettings backends = BackendSettings.create(config);
    SearchSettings settings = SearchSettings.create(config);
    List<WritingTask> tasks = TaskFile.read(prompts);
    if (limit != null) {
      tasks = tasks.subList(0, Math.min(limit, tasks.size()));
    }
    PrintWriter w = spec.commandLine().getOut();
    try (Progress progress = new Progress(spec.commandLine().getErr())) {
      Path base = backends.model().isPresent() ? backends.model().get() : EmbeddedDefault.baseModel(config, progress);
      String sha = WeightsHash.of(base);
      String policyName = backends.model().isPresent() ? "model/" + sha : "base/" + EmbeddedDefault.store(config).key();
      List<LanguageModel> policies = new ArrayList<>(); // a copy per search node
      try (LanguageModel reference = backends.referenceModel().map(LanguageModel::load).orElse(null)) {
        for (int i = 0; i < ActorsSettings.create(config).searchNodes(); i++) {
          policies.add(LanguageModel.load(base));
        }
        policies.get(0).requireTokenizer();
        ReferenceRecord record = reference == null ? ReferenceRecord.fromSampler(sha)
            : ReferenceRecord.fromReference(WeightsHash.of(backends.referenceModel().get()));
        SearchJob.Outcome o = SearchJob.run(config, settings, policies, policyName, record,
            Optional.ofNullable(reference).map(ModelReference::new), tasks, out, runId, progress, c -> {});
        print(w, o);
      } finally {
        policies.forEach(LanguageModel::close);
      }
    }
    return ExitCodes.OK;
  }

  static void print(PrintWriter w, SearchJob.Outcome o) {
    RunSummary s = o.summary();
    w.printf(Locale.ROOT, "search finished in %.1f s: %d trees (%d resumed, %d failed), %d pairs%n",
        s.seconds(), s.trees(), s.skipped(), s.failed(), s.pairs());
    w.printf(Locale.ROOT, "  memory-pool vetoes %d, premature ends vetoed %d; critiques fired %d, applied %d; expansions %d%n",
        s.vetoes(), s.prematureEnds(), s.critiquesFired(), s.critiquesApplied(), s.expansions());
    w.printf(Locale.ROOT, "  mean chosen - rejected margin %.3f; answers ended %.0f%%; prefix tokens from cache %.1f%%%n",
        s.meanMargin(), 100 * s.endedRate(), 100 * o.policy().cacheShare());
  }
}
