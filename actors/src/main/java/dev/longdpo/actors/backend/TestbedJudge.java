package dev.longdpo.actors.backend;

import dev.longdpo.protocol.search.StepScore;
import dev.longdpo.protocol.search.TaskSpec;
import dev.longdpo.testbed.judge.JudgeScore;
import dev.longdpo.testbed.judge.RuleJudge;
import java.util.ArrayList;
import java.util.List;

/** The testbed's rule judge behind the {@link Judge} interface. */
public final class TestbedJudge implements Judge {

  private final RuleJudge judge = new RuleJudge();

  @Override
  public StepScore score(TaskSpec task, String context, String candidate, boolean endsAnswer) {
    return toStepScore(judge.score(TaskSpecs.task(task), context, candidate, endsAnswer));
  }

  /** A testbed verdict as a protocol record. */
  public static StepScore toStepScore(JudgeScore s) {
    List<Double> p = new ArrayList<>();
    for (double v : s.principles()) {
      p.add(v);
    }
    return new StepScore(p, s.lengthTerm(), s.quality(), s.value());
  }

  /** A protocol record as a testbed verdict. */
  public static JudgeScore toJudgeScore(StepScore s) {
    double[] p = new double[s.principles().size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = s.principles().get(i);
    }
    return new JudgeScore(p, s.lengthTerm());
  }
}
