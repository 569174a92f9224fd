package dev.longdpo.actors.backend.testing;

import dev.longdpo.actors.backend.Judge;
import dev.longdpo.protocol.search.StepScore;
import dev.longdpo.protocol.search.TaskSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * A scripted judge: principle scores in [3, 5) from a hash of the step's text, a length term that
 * favours ending (8) over continuing (5); a whole answer is scored as a step that ends it.
 */
public final class TestingJudge implements Judge {

  @Override
  public StepScore score(TaskSpec task, String context, String candidate, boolean endsAnswer) {
    int h = candidate.hashCode();
    List<Double> p = new ArrayList<>();
    double sum = 0;
    for (int i = 0; i < 7; i++) {
      double v = 3 + Math.floorMod(h >>> i, 200) / 100.0;
      p.add(v);
      sum += v;
    }
    double quality = sum / 7;
    double length = endsAnswer ? 8 : 5;
    return new StepScore(p, length, quality, quality + length);
  }

  @Override
  public StepScore scoreAnswer(TaskSpec task, String answer) {
    return score(task, "", answer, true);
  }
}
