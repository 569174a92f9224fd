package dev.longdpo.actors.backend;

import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.generate.PrefixState;
import dev.longdpo.model.generate.Score;
import dev.longdpo.model.generate.ScoreRequest;
import java.util.ArrayList;
import java.util.List;

/** The reference as an in-process checkpoint; one scoring at a time (the model is not thread-safe). */
public final class ModelReference implements ReferenceScorer {

  private final LanguageModel model;

  /** @param model the reference (not owned) */
  public ModelReference(LanguageModel model) {
    this.model = model;
  }

  @Override
  public synchronized double[] sumLogProbs(int[] prefix, int[]... continuations) {
    try (PrefixState state = model.prefix(prefix)) {
      List<ScoreRequest> requests = new ArrayList<>();
      for (int[] c : continuations) {
        requests.add(new ScoreRequest(state, c));
      }
      List<Score> scores = model.score(requests);
      double[] out = new double[scores.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = scores.get(i).sum();
      }
      return out;
    }
  }
}
