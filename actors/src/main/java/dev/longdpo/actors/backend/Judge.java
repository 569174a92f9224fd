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

  /**
   * Scores a whole answer as the outcome baseline judges it: its quality (1 to 5) plus its final
   * S_l / 10 as the length term, on the same scale as a step's value.
   */
  StepScore scoreAnswer(TaskSpec task, String answer);
}
