package dev.longdpo.cli.search;

import com.typesafe.config.Config;
import dev.longdpo.actors.ActorsSettings;
import dev.longdpo.actors.backend.ModelPolicy;
import dev.longdpo.actors.backend.TestbedCritic;
import dev.longdpo.actors.backend.TestbedJudge;
import dev.longdpo.cli.EmbeddedDefault;
import dev.longdpo.cli.ExitCodes;
import dev.longdpo.cli.GlobalOptions;
import dev.longdpo.cli.Progress;
import dev.longdpo.coordinator.search.SearchSettings;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.testbed.TestbedSettings;
import dev.longdpo.testbed.task.WritingTask;
import dev.longdpo.testbed.world.Split;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Measures critique-guided regeneration on the base model. */
@Command(
    mixinStandardHelpOptions = true,
    name = "critique-check",
    description = {
      "Measure whether regenerating weak steps with the critic's suggestions helps: per validation task,",
      "the weakest of K candidate steps is critiqued and regenerated with the suggestions and, from the",
      "same seed, without them (the control). Prints judge gains, how often it helps, and judge-free",
      "flaws (repeated, contradicting, off-topic sentences) of weak, guided and control steps."
    })
public final class CritiqueCheckCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--tasks", defaultValue = "80", paramLabel = "<n>", description = "Validation tasks (default ${DEFAULT-VALUE}).")
  int tasks;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "<n>", description = "Sampling seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    Config config = GlobalOptions.of(spec).config();
    SearchSettings search = SearchSettings.create(config);
    // A check that chooses settings (the critique threshold, whether to critique) reads validation tasks.
    List<WritingTask> list = TestbedSettings.create(config).tasks(Split.VALIDATION).generate(tasks, 0);
    PrintWriter w = spec.commandLine().getOut();
    try (Progress progress = new Progress(spec.commandLine().getErr())) {
      try (LanguageModel model = LanguageModel.load(EmbeddedDefault.baseModel(config, progress));
          ModelPolicy policy = new ModelPolicy(model, ActorsSettings.create(config).cacheBudgetBytes())) {
        CritiqueCheck check = new CritiqueCheck(policy, new TestbedJudge(), new TestbedCritic(),
            t -> model.encodePrompt(t.modelInput()), search.decoding(), search.k(), search.maxSuggestions());
        progress.phase("critique-check", list.size());
        CritiqueCheck.Result r = check.run(list, seed, n -> progress.progress(n, ""));
        progress.close();
        print(w, r);
      }
    }
    return ExitCodes.OK;
  }

  static void print(PrintWriter w, CritiqueCheck.Result r) {
    double[] flaws = r.meanFlaws();
    w.printf(Locale.ROOT, "%d weak steps critiqued and regenerated%n", r.cases().size());
    w.printf(Locale.ROOT, "  judge quality (1-5): guided %+.3f over the weak step, control (same seed, no suggestions) %+.3f%n",
        r.meanGain(), r.meanControlGain());
    w.printf(Locale.ROOT, "  guided beats the weak step in %.0f%% of cases, the control in %.0f%%%n",
        100 * r.helpRate(), 100 * r.beatsControlRate());
    w.printf(Locale.ROOT, "  judge-free flaws added per step (repeated + contradicting + off-topic sentences): weak %.2f, "
        + "guided %.2f, control %.2f%n", flaws[0], flaws[1], flaws[2]);
    Map<String, List<CritiqueCheck.Case>> byPrinciple = new TreeMap<>(
        r.cases().stream().collect(Collectors.groupingBy(CritiqueCheck.Case::principle)));
    byPrinciple.forEach((p, cases) -> {
      CritiqueCheck.Result sub = new CritiqueCheck.Result(cases);
      w.printf(Locale.ROOT, "  %-18s %3d cases: guided %+.3f, control %+.3f, helps %.0f%%, flaws %.2f -> %.2f (control %.2f)%n",
          p, cases.size(), sub.meanGain(), sub.meanControlGain(), 100 * sub.helpRate(), sub.meanFlaws()[0],
          sub.meanFlaws()[1], sub.meanFlaws()[2]);
    });
    w.flush();
  }
}
