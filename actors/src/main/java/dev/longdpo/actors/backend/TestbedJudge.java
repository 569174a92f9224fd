package dev.longdpo.actors.backend;

import dev.longdpo.protocol.search.StepScore;
import dev.longdpo.protocol.search.TaskSpec;
import dev.longdpo.protocol.text.Words;
import dev.longdpo.testbed.judge.AnswerJudge;
import dev.longdpo.testbed.judge.JudgeScore;
import dev.longdpo.testbed.judge.LengthTerm;
import dev.longdpo.testbed.judge.QualityDimension;
import dev.longdpo.testbed.judge.RuleJudge;
import dev.longdpo.testbed.task.WritingTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The testbed's rule judge behind the {@link Judge} interface. */
public final class TestbedJudge implements Judge {

  private final RuleJudge judge = new RuleJudge();
  private final AnswerJudge answerJudge = new AnswerJudge();

  @Override
  public StepScore score(TaskSpec task, String context, String candidate, boolean endsAnswer) {
    return toStepScore(judge.score(TaskSpecs.task(task), context, candidate, endsAnswer));
  }

  /** The six answer-quality dimensions' mean, plus S_l / 10. */
  @Override
  public StepScore scoreAnswer(TaskSpec task, String answer) {
    WritingTask t = TaskSpecs.task(task);
    Map<QualityDimension, Double> dims = answerJudge.score(t, answer);
    List<Double> values = new ArrayList<>(dims.values());
    double quality = values.stream().mapToDouble(Double::doubleValue).average().orElse(1);
    double length = LengthTerm.sl(t.length(), Words.count(answer)) / 10;
    return new StepScore(values, length, quality, quality + length);
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
