package dev.longdpo.actors.backend;

import dev.longdpo.protocol.search.StepScore;
import dev.longdpo.protocol.search.TaskSpec;

/** Scores candidate steps: the search's reward. Implementations must be thread-safe. */
public interface Judge {

  /**
   * @param context the response so far
   * @param candidate the step
   * @param endsAnswer whether the step ends the answer (its length term is then the final S_l)
   */
  StepScore score(TaskSpec task, String context, String candidate, boolean endsAnswer);
}
