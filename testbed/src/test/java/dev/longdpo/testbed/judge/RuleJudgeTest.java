package dev.longdpo.testbed.judge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longdpo.testbed.corpus.AnswerWriter;
import dev.longdpo.testbed.corpus.FlawRates;
import dev.longdpo.testbed.metrics.QualityScore;
import dev.longdpo.testbed.task.InstructionType;
import dev.longdpo.testbed.task.SectionInstruction;
import dev.longdpo.testbed.task.SectionSpec;
import dev.longdpo.testbed.task.TaskFile;
import dev.longdpo.testbed.task.TaskGenerator;
import dev.longdpo.testbed.task.WritingTask;
import dev.longdpo.testbed.text.Paragraphs;
import dev.longdpo.testbed.world.Lexicon;
import dev.longdpo.testbed.TestResources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class RuleJudgeTest {

  private final RuleJudge judge = new RuleJudge();
  private final WritingTask task = dev.longdpo.testbed.TestTasks.cityTask(120);
  private final String s = task.topic().get().subject();
  private final String export = task.topic().get().facts().get("export");
  private final String wrongExport = export.equals("salt") ? "wool" : "salt";
  private final String founded = task.topic().get().facts().get("founded");
  private final String wrongYear = founded.equals("1210") ? "1217" : "1210";
  private final String context = s + " is a city with a long history. " + s + " was founded in " + founded + ".";

  private double score(String candidate, Principle p) {
    return judge.score(task, context, candidate, false).score(p);
  }

  @Test
  void aCleanStepScoresHighEverywhere() {
    JudgeScore clean = judge.score(task, context, "The main export of " + s + " is " + export + ". Merchants in " + s + " trade with distant ports.", false);
    for (Principle p : Principle.values()) {
      assertThat(clean.score(p)).as(p.name()).isGreaterThanOrEqualTo(4.0);
    }
  }

  @Test
  void aContradictionLowersAccuracy() {
    assertThat(score("The main export of " + s + " is " + wrongExport + ".", Principle.ACCURACY))
        .isLessThan(score("The main export of " + s + " is " + export + ".", Principle.ACCURACY));
    assertThat(score(s + " was founded in " + wrongYear + ".", Principle.ACCURACY)).isLessThan(3);
  }

  @Test
  void anOffTopicSentenceLowersPurpose() {
    String other = dev.longdpo.testbed.TestTasks.city(3);
    assertThat(score("The main export of " + other + " is " + wrongExport + ". Visitors come to " + s + " in every season.", Principle.PURPOSE))
        .isLessThan(score("The main export of " + s + " is " + export + ". Visitors come to " + s + " in every season.", Principle.PURPOSE));
  }

  @Test
  void repetitionLowersDiversity() {
    assertThat(score(s + " was founded in " + founded + ". Visitors come to " + s + " in every season.", Principle.DIVERSITY))
        .isLessThan(score("Visitors come to " + s + " in every season.", Principle.DIVERSITY));
  }

  @Test
  void malformedSentencesLowerReading() {
    assertThat(score("The main export of " + s + " trade with the banks.", Principle.READING))
        .isLessThan(score("The main export of " + s + " is " + export + ".", Principle.READING));
  }

  @Test
  void aConclusionMidwayLowersFormatAndNewAspectsRaiseInsight() {
    assertThat(score("All in all, " + s + " is a city worth knowing.", Principle.FORMAT))
        .isLessThan(score("Visitors come to " + s + " in every season.", Principle.FORMAT));
    assertThat(score("Visitors come to " + s + " in every season.", Principle.INSIGHT))
        .isGreaterThan(score("Over many years, " + s + " grew into a busy town.", Principle.INSIGHT));
  }

  @Test
  void bannedWordsLowerSafety() {
    assertThat(score("Visitors come to " + s + " with a weapon.", Principle.SAFETY)).isEqualTo(1);
  }

  @Test
  void sectionStepsMustFollowTheirInstructionsAndHeaders() {
    SectionSpec spec = new SectionSpec("Week", 3, List.of(new SectionInstruction(InstructionType.SINGLE, 2, 2, 1, "a parade")));
    WritingTask sectioned = new WritingTask("g", "Write a diary.", 60, "sectioned", task.topic(), Optional.of(spec));
    String ctx = "Week 1: Visitors come to " + s + " in every season.";
    JudgeScore follows = judge.score(sectioned, ctx, "Week 2: The main export of " + s + " is " + export + ". This week I saw a parade.", false);
    JudgeScore ignores = judge.score(sectioned, ctx, "Week 2: The main export of " + s + " is " + export + ".", false);
    JudgeScore wrongHeader = judge.score(sectioned, ctx, "Week 3: The main export of " + s + " is " + export + ".", false);
    assertThat(ignores.score(Principle.PURPOSE)).isLessThan(follows.score(Principle.PURPOSE));
    assertThat(wrongHeader.score(Principle.FORMAT)).isLessThan(follows.score(Principle.FORMAT));
  }

  @Test
  void theLengthTermBecomesTheFinalSlWhenTheStepEndsTheAnswer() {
    WritingTask short30 = dev.longdpo.testbed.TestTasks.cityTask(30);
    String end = "All in all, " + s + " is a city worth knowing.";
    int words = dev.longdpo.protocol.text.Words.count(context + end);
    assertThat(judge.score(short30, context, end, true).lengthTerm())
        .isCloseTo(LengthTerm.sl(30, words) / 10, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(judge.score(short30, context, end, false).lengthTerm())
        .isCloseTo(LengthTerm.stepTerm(30, words), org.assertj.core.data.Offset.offset(1e-12))
        .isNotEqualTo(LengthTerm.sl(30, words) / 10);
  }

  @Test
  void flawlessReferencesOutscoreFlawedOnesOverManySeeds() {
    AnswerJudge answers = new AnswerJudge();
    AnswerWriter clean = new AnswerWriter(FlawRates.none());
    AnswerWriter flawed = new AnswerWriter(new FlawRates(0.1, 0.2, 0.1, 0.3, 0.25, 0.25, 0.3, 0.2, 0.4));
    List<Map<QualityDimension, Double>> cleanScores = new ArrayList<>();
    List<Map<QualityDimension, Double>> flawedScores = new ArrayList<>();
    double cleanSteps = 0;
    double flawedSteps = 0;
    for (int seed = 0; seed < 200; seed++) {
      WritingTask t = new TaskGenerator(seed).generate(1, 1).get(seed % 2);
      String a = clean.write(t, new Random(seed)).text();
      String b = flawed.write(t, new Random(seed)).text();
      cleanScores.add(answers.score(t, a));
      flawedScores.add(answers.score(t, b));
      cleanSteps += meanStepQuality(t, a);
      flawedSteps += meanStepQuality(t, b);
    }
    assertThat(QualityScore.sq(cleanScores)).isGreaterThan(QualityScore.sq(flawedScores) + 5);
    assertThat(cleanSteps).isGreaterThan(flawedSteps);
  }

  private double meanStepQuality(WritingTask t, String answer) {
    List<String> paragraphs = Paragraphs.split(answer);
    StringBuilder ctx = new StringBuilder();
    double sum = 0;
    for (int i = 0; i < paragraphs.size(); i++) {
      String step = (i == 0 ? "" : "\n\n") + paragraphs.get(i);
      sum += judge.score(t, ctx.toString(), step, i == paragraphs.size() - 1).quality();
      ctx.append(step);
    }
    return sum / paragraphs.size();
  }

  @Test
  void realPromptsAreJudgedWithTopicPrinciplesNeutral() {
    WritingTask real = TaskFile.read(TestResources.path("/longbench_write_en.jsonl")).get(3);
    JudgeScore score = judge.score(real, "", "Reading too fast is a bad habit. It hides meaning.", false);
    assertThat(score.score(Principle.ACCURACY)).isEqualTo(3);
    assertThat(score.score(Principle.PURPOSE)).isEqualTo(3);
    assertThat(score.score(Principle.INSIGHT)).isEqualTo(3);
    assertThat(new AnswerJudge().score(real, "Reading too fast is a bad habit.").get(QualityDimension.RELEVANCE)).isEqualTo(3);
  }

  @Property(tries = 300)
  void neverThrowsOnArbitraryText(@ForAll @StringLength(max = 400) String context, @ForAll @StringLength(max = 400) String candidate) {
    JudgeScore score = judge.score(task, context, candidate, candidate.length() % 2 == 0);
    for (double v : score.principles()) {
      assertThat(v).isBetween(1.0, 5.0);
    }
    assertThat(score.lengthTerm()).isBetween(0.0, 10.0);
    new AnswerJudge().score(task, context + candidate);
    dev.longdpo.testbed.metrics.JudgeFreeMetrics.count(task, candidate);
  }

  @Test
  void identicalSeedsGiveIdenticalCorpora() {
    var a = dev.longdpo.testbed.corpus.Corpus.generate(4, 30, 0.3, FlawRates.none());
    var b = dev.longdpo.testbed.corpus.Corpus.generate(4, 30, 0.3, FlawRates.none());
    assertThat(a.documents()).isEqualTo(b.documents());
  }
}
