package dev.longdpo.actors.backend;

import dev.longdpo.protocol.search.CriticProtocol;
import dev.longdpo.protocol.search.Guidance;
import dev.longdpo.protocol.search.TaskSpec;
import dev.longdpo.testbed.judge.RuleCritic;
import dev.longdpo.testbed.judge.Suggestion;
import dev.longdpo.testbed.task.WritingTask;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The testbed's rule critic behind the {@link Critic} interface. */
public final class TestbedCritic implements Critic {

  private final RuleCritic critic = new RuleCritic();

  @Override
  public List<Guidance> critique(
      TaskSpec spec, String context, CriticProtocol.Reviewed chosen, List<CriticProtocol.Reviewed> siblings, int max) {
    WritingTask task = TaskSpecs.task(spec);
    RuleCritic.Step mine = step(chosen);
    Map<String, Suggestion> unique = new LinkedHashMap<>();
    for (CriticProtocol.Reviewed sibling : siblings) {
      for (Suggestion s : critic.critique(task, context, mine, step(sibling))) {
        unique.putIfAbsent(s.principle() + "|" + s.avoid() + "|" + s.add() + "|" + s.length(), s);
      }
    }
    List<Suggestion> all = new ArrayList<>(unique.values());
    all.sort(Comparator.comparingInt(Suggestion::confidence).reversed());
    List<Guidance> out = new ArrayList<>();
    for (Suggestion s : all.subList(0, Math.min(max, all.size()))) {
      out.add(new Guidance(s.principle().name(), s.text(), s.confidence(), s.avoid(), s.add(), s.length().name()));
    }
    return out;
  }

  private static RuleCritic.Step step(CriticProtocol.Reviewed r) {
    return new RuleCritic.Step(r.text(), TestbedJudge.toJudgeScore(r.score()), r.endsAnswer());
  }

  /** Guidance back to a testbed suggestion. */
  public static Suggestion toSuggestion(Guidance g) {
    return new Suggestion(
        dev.longdpo.testbed.judge.Principle.valueOf(g.principle()), g.text(), g.confidence(), g.avoid(), g.add(),
        dev.longdpo.testbed.judge.LengthDirection.valueOf(g.length()));
  }
}
