package dev.longdpo.testbed.judge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longdpo.testbed.TestTasks;
import dev.longdpo.testbed.task.InstructionType;
import dev.longdpo.testbed.task.SectionInstruction;
import dev.longdpo.testbed.task.SectionSpec;
import dev.longdpo.testbed.task.WritingTask;
import dev.longdpo.testbed.world.Lexicon;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RuleCriticTest {

  private final RuleJudge judge = new RuleJudge();
  private final RuleCritic critic = new RuleCritic();
  private final WritingTask task = TestTasks.cityTask(120);
  private final String s = task.topic().get().subject();
  private final String export = task.topic().get().facts().get("export");
  private final String wrongExport = export.equals("salt") ? "wool" : "salt";
  private final String founded = task.topic().get().facts().get("founded");
  private final String wrongYear = founded.equals("1210") ? "1217" : "1210";
  private final String context = s + " is a city with a long history.";

  private RuleCritic.Step step(WritingTask t, String ctx, String text) {
    return new RuleCritic.Step(text, judge.score(t, ctx, text, false), false);
  }

  @Test
  void aContradictionGetsTheTrueValueToAddAndTheWrongOneToAvoid() {
    List<Suggestion> out = critic.critique(task, context,
        step(task, context, "The main export of " + s + " is " + wrongExport + "."),
        step(task, context, "The main export of " + s + " is " + export + "."));
    Suggestion top = out.get(0);
    assertThat(top.principle()).isEqualTo(Principle.ACCURACY);
    assertThat(top.confidence()).isEqualTo(5);
    assertThat(top.avoid()).containsExactly(wrongExport);
    assertThat(top.add()).containsExactly(export);
    assertThat(top.text()).contains(export).contains(wrongExport);
  }

  @Test
  void offTopicAndRepetitionAreNamed() {
    String other = dev.longdpo.testbed.TestTasks.city(3);
    List<Suggestion> out = critic.critique(task, context,
        step(task, context, "The main export of " + other + " is " + wrongExport + ". " + s + " is a city with a long history."),
        step(task, context, "Visitors come to " + s + " in every season."));
    assertThat(out).anySatisfy(x -> {
      assertThat(x.principle()).isEqualTo(Principle.PURPOSE);
      assertThat(x.avoid()).contains(other);
    });
    assertThat(out).anySatisfy(x -> {
      assertThat(x.principle()).isEqualTo(Principle.DIVERSITY);
      assertThat(x.avoid()).contains(s + " is a city with a long history.");
    });
    assertThat(out).isSortedAccordingTo((a, b) -> Integer.compare(b.confidence(), a.confidence()));
  }

  @Test
  void aMissingSectionMentionIsAddedWithFullConfidence() {
    SectionSpec spec = new SectionSpec("Week", 3, List.of(new SectionInstruction(InstructionType.SINGLE, 1, 1, 1, "a parade")));
    WritingTask t = new WritingTask("g", "Write a diary.", 60, "sectioned", task.topic(), Optional.of(spec));
    List<Suggestion> out = critic.critique(t, "",
        step(t, "", "Week 1: Visitors come to " + s + " in every season."),
        step(t, "", "Week 1: Visitors come to " + s + " in every season. This week I saw a parade."));
    assertThat(out.get(0).add()).containsExactly("a parade");
    assertThat(out.get(0).confidence()).isEqualTo(5);
  }

  @Test
  void aBetterLengthSaysWhichWayToGo() {
    WritingTask short30 = TestTasks.cityTask(30);
    String longer = "Visitors come to " + s + " in every season. Music and old stories are part of life in " + s + ".";
    RuleCritic.Step shortStep = step(short30, context, "Visitors come to " + s + " in every season.");
    RuleCritic.Step longStep = step(short30, context, longer);
    List<Suggestion> out = critic.critique(short30, context, shortStep, longStep);
    assertThat(out).anySatisfy(x -> assertThat(x.length()).isEqualTo(LengthDirection.LONGER));
  }
}
