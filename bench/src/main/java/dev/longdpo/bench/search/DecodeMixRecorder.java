package dev.longdpo.bench.search;

import dev.longdpo.actors.backend.Policy;
import dev.longdpo.actors.backend.PolicyStats;
import dev.longdpo.actors.backend.ModelPolicy;
import dev.longdpo.actors.evaluator.EvalSettings;
import dev.longdpo.bench.model.DecodeMix;
import dev.longdpo.coordinator.search.SearchSettings;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.checkpoint.WeightsHash;
import dev.longdpo.model.generate.Generation;
import dev.longdpo.model.generate.GenerationRequest;
import dev.longdpo.model.generate.PrefixState;
import dev.longdpo.model.runtime.DjlRuntime;
import dev.longdpo.protocol.search.ExpandJob;
import dev.longdpo.protocol.search.StepSample;
import dev.longdpo.testbed.TestbedSettings;
import dev.longdpo.testbed.demo.DemoSettings;
import dev.longdpo.actors.backend.TestbedJudge;
import dev.longdpo.testbed.pretrain.DecodingSettings;
import dev.longdpo.testbed.task.WritingTask;
import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Records the decode mixes that bench P9 replays ({@code bench/src/main/resources/.../decode-mix-*.txt}):
 * the generate calls of a quick-demo search on its first training prompts through the actors, and
 * of an evaluation of the base on the demo's held-out tasks, both with a pretrained base.
 *
 * <p>Run by hand when the search or the evaluator changes how it batches:
 * {@code java -cp ... dev.longdpo.bench.search.DecodeMixRecorder BASE_DIR OUT_DIR}.
 */
public final class DecodeMixRecorder {

  private static final int SEARCH_PROMPTS = 12;
  private static final int EVAL_TASKS = 64;

  private DecodeMixRecorder() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: DecodeMixRecorder BASE_MODEL_DIR OUT_DIR");
      System.exit(2);
    }
    Path base = Path.of(args[0]);
    Path out = Path.of(args[1]);
    Files.createDirectories(out);
    Config config = DemoSettings.applied(SearchFixtures.config(), true, 1);
    DjlRuntime.withIntraOpThreads(1, () -> {
      try (LanguageModel model = LanguageModel.load(base)) {
        String hash = "base model sha256 " + WeightsHash.of(base).substring(0, 12);
        DecodeMix search = recordSearch(model, config);
        write(out, search, SEARCH_PROMPTS + " training prompts of the quick demo (seed 1), through the actors; " + hash);
        DecodeMix eval = recordEval(model, config);
        write(out, eval, EVAL_TASKS + " of the quick demo's held-out tasks, every k-th; " + hash);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private static void write(Path dir, DecodeMix mix, String comment) throws Exception {
    Path f = dir.resolve("decode-mix-" + mix.name() + ".txt");
    Files.writeString(f, mix.format(comment));
    System.out.println(f + ": " + mix.calls().size() + " calls, " + mix.newTokens() + " sampled tokens");
  }

  private static DecodeMix recordSearch(LanguageModel model, Config config) throws Exception {
    List<WritingTask> tasks =
        DemoSettings.create(config, true).trainTasks(config, 1).subList(0, SEARCH_PROMPTS);
    SearchSettings settings = SearchSettings.create(config);
    List<List<DecodeMix.Row>> calls = new ArrayList<>();
    try (ModelPolicy inner = new ModelPolicy(model, 256L << 20)) {
      Policy recording = new Policy() {
        @Override
        public List<List<StepSample>> expand(List<ExpandJob> jobs) {
          List<List<StepSample>> samples = inner.expand(jobs);
          List<DecodeMix.Row> call = new ArrayList<>();
          for (int j = 0; j < jobs.size(); j++) {
            for (StepSample s : samples.get(j)) {
              call.add(new DecodeMix.Row(jobs.get(j).tokens().length, s.tokens().length));
            }
          }
          calls.add(call);
          return samples;
        }

        @Override
        public void forget(String treeId) {
          inner.forget(treeId);
        }

        @Override
        public PolicyStats stats() {
          return inner.stats();
        }
      };
      SearchFixtures.runActors(() -> recording, TestbedJudge::new, tasks, settings,
          SearchFixtures.backends(new dev.longdpo.actors.backend.ModelPromptEncoder(model)), SearchFixtures.tempLog());
    }
    return new DecodeMix("search", calls);
  }

  private static DecodeMix recordEval(LanguageModel model, Config config) {
    EvalSettings eval = EvalSettings.create(config);
    // Every k-th task: the held-out tasks are ordered by length bucket.
    List<WritingTask> all = eval.heldOutTasks(TestbedSettings.create(config));
    List<WritingTask> tasks = new ArrayList<>();
    for (int i = 0; i < EVAL_TASKS && i * all.size() / EVAL_TASKS < all.size(); i++) {
      tasks.add(all.get(i * all.size() / EVAL_TASKS));
    }
    int context = model.config().maxPositionEmbeddings();
    List<List<DecodeMix.Row>> calls = new ArrayList<>();
    for (int from = 0; from < tasks.size(); from += eval.batchSize()) {
      List<GenerationRequest> requests = new ArrayList<>();
      List<PrefixState> prefixes = new ArrayList<>();
      for (WritingTask t : tasks.subList(from, Math.min(tasks.size(), from + eval.batchSize()))) {
        PrefixState p = model.prefix(model.encodePrompt(t.modelInput()));
        prefixes.add(p);
        requests.add(GenerationRequest.of(
            p, DecodingSettings.forPrompt(p.length(), context), DecodingSettings.seed(eval.seed(), t.id())));
      }
      List<Generation> gens = model.generate(requests);
      List<DecodeMix.Row> call = new ArrayList<>();
      for (int i = 0; i < gens.size(); i++) {
        call.add(new DecodeMix.Row(prefixes.get(i).length(), gens.get(i).length()));
      }
      calls.add(call);
      prefixes.forEach(PrefixState::close);
    }
    return new DecodeMix("eval", calls);
  }
}
