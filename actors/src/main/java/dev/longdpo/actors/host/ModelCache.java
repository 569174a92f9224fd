package dev.longdpo.actors.host;

import dev.longdpo.actors.backend.ModelPolicy;
import dev.longdpo.actors.backend.Policy;
import dev.longdpo.actors.backend.PolicyStats;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.protocol.search.ExpandJob;
import dev.longdpo.protocol.search.StepSample;
import java.nio.file.Path;
import java.util.List;

/** Loads a run's base model for a search node; the policy it returns closes the model with itself. */
final class ModelCache {

  Policy policy(Path modelDir, long cacheBudgetBytes) {
    LanguageModel model = LanguageModel.load(modelDir);
    ModelPolicy policy = new ModelPolicy(model, cacheBudgetBytes);
    return new Policy() {
      @Override
      public List<List<StepSample>> expand(List<ExpandJob> jobs) {
        return policy.expand(jobs);
      }

      @Override
      public void forget(String treeId) {
        policy.forget(treeId);
      }

      @Override
      public PolicyStats stats() {
        return policy.stats();
      }

      @Override
      public void close() {
        policy.close();
        model.close();
      }
    };
  }
}
