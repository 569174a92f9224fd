package dev.longdpo.testbed.judge;

import dev.longdpo.testbed.task.SectionSpec;
import dev.longdpo.testbed.task.WritingTask;
import dev.longdpo.testbed.text.Paragraphs;
import dev.longdpo.testbed.text.TextAnalysis;
import dev.longdpo.testbed.world.Lexicon;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Scores a whole answer on LongWriter's six S_q dimensions, 1–5 each, with the same measurements
 * as {@link RuleJudge}. Principles that need the testbed's topic are 3 for other prompts; an
 * empty answer scores 1 everywhere.
 */
public final class AnswerJudge {

  /** The six dimension scores of one answer. */
  public Map<QualityDimension, Double> score(WritingTask task, String answer) {
    Map<QualityDimension, Double> out = new EnumMap<>(QualityDimension.class);
    List<TextAnalysis.Sentence> s = TextAnalysis.analyse(task.topic(), "", answer);
    if (s.isEmpty()) {
      for (QualityDimension d : QualityDimension.values()) {
        out.put(d, 1.0);
      }
      return out;
    }
    boolean testbed = task.topic().isPresent();
    out.put(QualityDimension.RELEVANCE, testbed ? relevance(task, answer, s) : 3.0);
    out.put(QualityDimension.ACCURACY, testbed ? accuracy(s) : 3.0);
    out.put(QualityDimension.COHERENCE, testbed ? coherence(task, answer, s) : 3.0);
    out.put(QualityDimension.CLARITY, testbed ? RuleJudge.reading(s) : RuleJudge.readingGeneric(s));
    out.put(QualityDimension.BREADTH_AND_DEPTH, testbed ? breadth(task, answer, s) : 3.0);
    out.put(QualityDimension.READING_EXPERIENCE, readingExperience(answer, s));
    return out;
  }

  private static double clamp(double v) {
    return Math.max(1, Math.min(5, v));
  }

  private static double relevance(WritingTask task, String answer, List<TextAnalysis.Sentence> s) {
    long on = s.stream().filter(x -> x.onTopic() && !x.offTopic()).count();
    double score = 1 + 4.0 * on / s.size();
    if (task.sections().isPresent()) {
      score = 1 + (score - 1) * instructionRate(task.sections().get(), answer);
    }
    return score;
  }

  /** Share of the instructions' (section, item) checks that the answer satisfies. */
  static double instructionRate(SectionSpec spec, String answer) {
    if (spec.checkCount() == 0) {
      return 1;
    }
    int yes = 0;
    for (String p : Paragraphs.split(answer)) {
      Optional<Paragraphs.Header> h = Paragraphs.header(p);
      if (h.isPresent() && h.get().label().equals(spec.label())) {
        String lower = p.toLowerCase(Locale.ROOT);
        for (String item : spec.requiredAt(h.get().number())) {
          if (lower.contains(item.toLowerCase(Locale.ROOT))) {
            yes++;
          }
        }
      }
    }
    return Math.min(1.0, (double) yes / spec.checkCount());
  }

  private static double accuracy(List<TextAnalysis.Sentence> s) {
    long facts = s.stream().filter(TextAnalysis.Sentence::statesFact).count();
    long wrong = s.stream().filter(x -> x.contradictedAttribute().isPresent()).count();
    return clamp(5 - 4 * Math.min(1.0, 2.0 * wrong / Math.max(facts, 2)));
  }

  private static double coherence(WritingTask task, String answer, List<TextAnalysis.Sentence> s) {
    double score = 5;
    if (task.sections().isPresent()) {
      SectionSpec spec = task.sections().get();
      int expected = 1;
      Set<Integer> seen = new HashSet<>();
      for (String p : Paragraphs.split(answer)) {
        Optional<Paragraphs.Header> h = Paragraphs.header(p);
        if (h.isEmpty() || !h.get().label().equals(spec.label()) || !seen.add(h.get().number())) {
          score -= 1.5;
          continue;
        }
        if (h.get().number() != expected) {
          score -= 1;
        }
        expected = h.get().number() + 1;
      }
      score -= 3.0 * (spec.count() - Math.min(spec.count(), seen.size())) / spec.count();
      return clamp(score);
    }
    if (!RuleJudge.aspectOf(s.get(0)).equals("intro")) {
      score -= 1.5;
    }
    if (!RuleJudge.aspectOf(s.get(s.size() - 1)).equals("conclusion")) {
      score -= 1.5;
    }
    for (int i = 1; i < s.size() - 1; i++) {
      String a = RuleJudge.aspectOf(s.get(i));
      if (a.equals("intro") || a.equals("conclusion")) {
        score -= 1;
      }
    }
    return clamp(score);
  }

  private static double breadth(WritingTask task, String answer, List<TextAnalysis.Sentence> s) {
    Set<String> aspects = new HashSet<>();
    for (TextAnalysis.Sentence x : s) {
      String a = RuleJudge.aspectOf(x);
      if (x.onTopic() && !a.isEmpty() && !a.equals("intro") && !a.equals("conclusion") && !a.equals("mention")) {
        aspects.add(a);
      }
    }
    int available = Lexicon.get().kinds().get(task.topic().get().kind()).aspects().size();
    // A short answer cannot cover every aspect: expect about one aspect per 30 required words.
    int expected = Math.max(1, Math.min(available, task.length() / 30));
    return clamp(1 + 4.0 * Math.min(1.0, (double) aspects.size() / expected));
  }

  private static double readingExperience(String answer, List<TextAnalysis.Sentence> s) {
    long repeated = s.stream().filter(x -> x.repeated() || x.nearRepeated()).count();
    return clamp(5 - 8.0 * repeated / s.size());
  }
}
