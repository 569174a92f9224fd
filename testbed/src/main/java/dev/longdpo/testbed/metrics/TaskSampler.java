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
    for (int from = 0; from < tasks.size(); from += batchSize) {
      out.addAll(sampleBatch(model, tasks.subList(from, Math.min(tasks.size(), from + batchSize)), runSeed));
      done.accept(out.size());
    }
    return out;
  }

  /**
   * One answer per task of {@code batch}, decoded together: {@link #sample} one batch at a time,
   * for a caller that may stop between batches.
   */
  public static List<Sample> sampleBatch(LanguageModel model, List<WritingTask> batch, long runSeed) {
    int context = model.config().maxPositionEmbeddings();
    List<GenerationRequest> requests = new ArrayList<>();
    List<PrefixState> prefixes = new ArrayList<>();
    try {
      for (WritingTask t : batch) {
        int[] ids = model.encodePrompt(t.modelInput());
        if (ids.length >= context) {
          ids = java.util.Arrays.copyOfRange(ids, ids.length - context + 1, ids.length);
        }
        PrefixState p = model.prefix(ids);
        prefixes.add(p);
        requests.add(
            GenerationRequest.of(p, DecodingSettings.forPrompt(ids.length, context), DecodingSettings.seed(runSeed, t.id())));
      }
      List<Generation> gens = model.generate(requests);
      List<Sample> out = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        out.add(new Sample(batch.get(i), gens.get(i).text().strip(), gens.get(i).endedWithEos()));
      }
      return out;
    } finally {
      prefixes.forEach(PrefixState::close);
    }
  }
}
