package dev.longdpo.testbed.metrics;

import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.generate.Generation;
import dev.longdpo.model.generate.GenerationRequest;
import dev.longdpo.model.generate.PrefixState;
import dev.longdpo.testbed.pretrain.DecodingSettings;
import dev.longdpo.testbed.task.WritingTask;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/** Generates answers for tasks with the fixed {@link DecodingSettings}, in batches. */
public final class TaskSampler {

  private TaskSampler() {}

  /**
   * One answer per task.
   *
   * @param runSeed with each task's id, seeds its sampler (the same for every model compared)
   * @param batchSize sequences decoded together
   * @param done called with the number of tasks finished so far
   */
  public static List<Sample> sample(
      LanguageModel model, List<WritingTask> tasks, long runSeed, int batchSize, IntConsumer done) {
    List<Sample> out = new ArrayList<>();
    int context = model.config().maxPositionEmbeddings();
    for (int from = 0; from < tasks.size(); from += batchSize) {
      List<WritingTask> chunk = tasks.subList(from, Math.min(tasks.size(), from + batchSize));
      List<GenerationRequest> requests = new ArrayList<>();
      List<PrefixState> prefixes = new ArrayList<>();
      for (WritingTask t : chunk) {
        int[] ids = model.encodePrompt(t.modelInput());
        if (ids.length >= context) {
          ids = java.util.Arrays.copyOfRange(ids, ids.length - context + 1, ids.length);
        }
        PrefixState p = model.prefix(ids);
        prefixes.add(p);
        requests.add(
            GenerationRequest.of(p, DecodingSettings.forTask(t, ids.length, context), DecodingSettings.seed(runSeed, t.id())));
      }
      List<Generation> gens = model.generate(requests);
      for (int i = 0; i < chunk.size(); i++) {
        out.add(new Sample(chunk.get(i), gens.get(i).text().strip(), gens.get(i).endedWithEos()));
      }
      prefixes.forEach(PrefixState::close);
      done.accept(out.size());
    }
    return out;
  }
}
