package dev.longdpo.actors.backend;

import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.generate.Generation;
import dev.longdpo.model.generate.GenerationRequest;
import dev.longdpo.model.generate.PrefixState;
import dev.longdpo.model.generate.SamplingParams;
import dev.longdpo.testbed.pretrain.DecodingSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * Whole answers from an in-process model, all jobs in one batch. An answer's token cap is its
 * share of the required words at the testbed tokenizer's tokens per word, plus 16, within the
 * model's context; each answer's draw is seeded by the job's seed, its index and the task id.
 */
public final class ModelAnswerSampler implements AnswerSampler {

  private final LanguageModel model;

  /** @param model the policy (not owned) */
  public ModelAnswerSampler(LanguageModel model) {
    this.model = model;
  }

  @Override
  public List<List<Answer>> sample(List<AnswerJob> jobs) {
    int context = model.config().maxPositionEmbeddings();
    List<GenerationRequest> requests = new ArrayList<>();
    List<PrefixState> prefixes = new ArrayList<>();
    for (AnswerJob job : jobs) {
      PrefixState prefix = model.prefix(job.prompt());
      prefixes.add(prefix);
      int budget = (int) Math.ceil(job.requiredWords() * job.lengthFactor() * DecodingSettings.TOKENS_PER_WORD) + 16;
      SamplingParams params = SamplingParams.sampling(job.temperature(),
          Math.max(1, Math.min(budget, context - job.prompt().length))).withTopP(job.topP());
      for (int n = 0; n < job.count(); n++) {
        requests.add(GenerationRequest.of(prefix, params, DecodingSettings.seed(job.seed() * 31 + n, job.taskId())));
      }
    }
    List<Generation> generations = model.generate(requests);
    prefixes.forEach(PrefixState::close);
    List<List<Answer>> out = new ArrayList<>();
    int g = 0;
    for (AnswerJob job : jobs) {
      List<Answer> answers = new ArrayList<>();
      for (int n = 0; n < job.count(); n++, g++) {
        Generation gen = generations.get(g);
        answers.add(new Answer(gen.tokenIds(), gen.text(), gen.endedWithEos(), gen.sumLogProb()));
      }
      out.add(answers);
    }
    return out;
  }
}
