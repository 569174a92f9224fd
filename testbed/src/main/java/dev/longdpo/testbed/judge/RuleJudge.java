package dev.longdpo.testbed.judge;

import dev.longdpo.testbed.task.SectionSpec;
import dev.longdpo.testbed.task.Topic;
import dev.longdpo.testbed.task.WritingTask;
import dev.longdpo.testbed.text.Paragraphs;
import dev.longdpo.testbed.text.TextAnalysis;
import dev.longdpo.protocol.text.Words;
import dev.longdpo.testbed.world.Lexicon;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Scores a candidate step given the task and the response so far, on LongDPO's seven principles
 * plus its length term. Each principle is a measurable property of testbed text:
 *
 * <ul>
 *   <li>accuracy: no sentence contradicts the task's facts or an earlier statement;
 *   <li>purpose: sentences are about the subject (not another one); sections mention what their
 *       instructions ask for;
 *   <li>safety: no banned word;
 *   <li>format: one paragraph of complete sentences; intro first and conclusion only at the end;
 *       for sectioned tasks the right next header;
 *   <li>diversity: no sentence repeats an earlier one;
 *   <li>reading: sentences are well formed (instantiate a template);
 *   <li>insight: the step covers an aspect the response has not covered yet.
 * </ul>
 *
 * <p>Prompts without the testbed's fields (real LongBench-Write prompts) get 3 on the principles
 * that need a topic; the judge never throws on arbitrary text. Stateless and thread-safe.
 */
public final class RuleJudge {

  private static final double NEUTRAL = 3;

  /**
   * Scores one step.
   *
   * @param responseSoFar the accepted steps before this one (may be empty)
   * @param candidate the step's text
   * @param endsAnswer whether the step ends the answer; its length term is then the final S_l / 10
   *     instead of LongDPO's lenient partial-length term
   */
  public JudgeScore score(WritingTask task, String responseSoFar, String candidate, boolean endsAnswer) {
    double[] p = new double[Principle.values().length];
    List<TextAnalysis.Sentence> sentences = TextAnalysis.analyse(task.topic(), responseSoFar, candidate);
    boolean empty = sentences.isEmpty();
    Optional<Topic> topic = task.topic();
    p[Principle.ACCURACY.ordinal()] = topic.isEmpty() ? NEUTRAL : accuracy(sentences, empty);
    p[Principle.PURPOSE.ordinal()] = topic.isEmpty() ? NEUTRAL : purpose(task, responseSoFar, candidate, sentences);
    p[Principle.SAFETY.ordinal()] = safety(candidate);
    p[Principle.FORMAT.ordinal()] = format(task, responseSoFar, candidate, sentences, endsAnswer);
    p[Principle.DIVERSITY.ordinal()] = diversity(sentences, empty);
    p[Principle.READING.ordinal()] = topic.isEmpty() ? readingGeneric(sentences) : reading(sentences);
    p[Principle.INSIGHT.ordinal()] = topic.isEmpty() ? NEUTRAL : insight(task, responseSoFar, sentences);
    int words = Words.count(responseSoFar + candidate);
    double length =
        endsAnswer ? LengthTerm.sl(task.length(), words) / 10 : LengthTerm.stepTerm(task.length(), words);
    return new JudgeScore(p, length);
  }

  private static double clamp(double v) {
    return Math.max(1, Math.min(5, v));
  }

  static double accuracy(List<TextAnalysis.Sentence> s, boolean empty) {
    if (empty) {
      return NEUTRAL;
    }
    long wrong = s.stream().filter(x -> x.contradictedAttribute().isPresent()).count();
    return wrong == 0 ? 5 : wrong == 1 ? 2 : 1;
  }

  static double purpose(WritingTask task, String context, String candidate, List<TextAnalysis.Sentence> s) {
    if (s.isEmpty()) {
      return 1;
    }
    long on = s.stream().filter(x -> x.onTopic() && !x.offTopic()).count();
    double score = 1 + 4.0 * on / s.size();
    if (task.sections().isPresent()) {
      SectionSpec spec = task.sections().get();
      for (String paragraph : Paragraphs.split(candidate)) {
        Optional<Paragraphs.Header> h = Paragraphs.header(paragraph);
        if (h.isEmpty() || !h.get().label().equals(spec.label())) {
          continue;
        }
        String lower = paragraph.toLowerCase(Locale.ROOT);
        for (String item : spec.requiredAt(h.get().number())) {
          if (!lower.contains(item.toLowerCase(Locale.ROOT))) {
            score -= 1.5;
          }
        }
        for (String item : Lexicon.get().mentionItems()) {
          if (lower.contains(item.toLowerCase(Locale.ROOT)) && !spec.requiredAt(h.get().number()).contains(item)) {
            score -= 0.5;
          }
        }
      }
    }
    return clamp(score);
  }

  static double safety(String candidate) {
    String lower = candidate.toLowerCase(Locale.ROOT);
    for (String w : Lexicon.get().bannedWords()) {
      if (lower.matches("(?s).*\\b" + w + "\\b.*")) {
        return 1;
      }
    }
    return 5;
  }

  static double format(
      WritingTask task, String context, String candidate, List<TextAnalysis.Sentence> s, boolean endsAnswer) {
    if (s.isEmpty()) {
      return 1;
    }
    double score = 5;
    List<String> paragraphs = Paragraphs.split(candidate);
    if (paragraphs.size() != 1) {
      score -= 1; // a step is one paragraph
    }
    String last = candidate.strip();
    if (!last.isEmpty() && ".!?".indexOf(last.charAt(last.length() - 1)) < 0) {
      score -= 2; // the step stops mid-sentence
    }
    if (s.size() > 7) {
      score -= 1;
    }
    if (task.sections().isPresent()) {
      score -= sectionPenalty(task.sections().get(), context, paragraphs);
    } else if (task.topic().isPresent()) {
      boolean first = context.isBlank();
      boolean opensWithIntro = aspectOf(s.get(0)).equals("intro");
      boolean hasConclusion = s.stream().anyMatch(x -> aspectOf(x).equals("conclusion"));
      boolean introLater = s.stream().skip(1).anyMatch(x -> aspectOf(x).equals("intro"));
      if (first && !opensWithIntro) {
        score -= 1;
      }
      if (!first && (opensWithIntro || introLater) || first && introLater) {
        score -= 2;
      }
      if (hasConclusion && !endsAnswer) {
        score -= 2; // a conclusion in the middle breaks the text's logic
      }
      if (endsAnswer && !hasConclusion) {
        score -= 1;
      }
    } else if (paragraphs.stream().anyMatch(x -> Paragraphs.header(x).isPresent())) {
      score -= 0; // free-form prompts may use headers
    }
    return clamp(score);
  }

  private static double sectionPenalty(SectionSpec spec, String context, List<String> paragraphs) {
    int expected = 1;
    Set<Integer> done = new HashSet<>();
    for (String p : Paragraphs.split(context)) {
      Optional<Paragraphs.Header> h = Paragraphs.header(p);
      if (h.isPresent() && h.get().label().equals(spec.label())) {
        done.add(h.get().number());
        expected = h.get().number() + 1;
      }
    }
    double penalty = 0;
    for (String p : paragraphs) {
      Optional<Paragraphs.Header> h = Paragraphs.header(p);
      if (h.isEmpty() || !h.get().label().equals(spec.label())) {
        penalty += 3;
      } else if (done.contains(h.get().number()) || h.get().number() > spec.count()) {
        penalty += 3;
      } else if (h.get().number() != expected) {
        penalty += 2;
      }
      h.ifPresent(x -> done.add(x.number()));
      expected = h.map(x -> x.number() + 1).orElse(expected + 1);
    }
    return penalty;
  }

  static double diversity(List<TextAnalysis.Sentence> s, boolean empty) {
    if (empty) {
      return NEUTRAL;
    }
    double score = 5;
    for (TextAnalysis.Sentence x : s) {
      if (x.repeated()) {
        score -= 2;
      } else if (x.nearRepeated()) {
        score -= 1;
      }
    }
    return clamp(score);
  }

  static double reading(List<TextAnalysis.Sentence> s) {
    if (s.isEmpty()) {
      return 1;
    }
    long ok = s.stream().filter(TextAnalysis.Sentence::wellFormed).count();
    return 1 + 4.0 * ok / s.size();
  }

  /** For free-form text: complete sentences of sensible length. */
  static double readingGeneric(List<TextAnalysis.Sentence> s) {
    if (s.isEmpty()) {
      return 1;
    }
    long ok =
        s.stream()
            .filter(x -> {
              String t = x.text();
              int w = Words.count(t);
              return w >= 3 && w <= 40 && ".!?".indexOf(t.charAt(t.length() - 1)) >= 0
                  && Character.isUpperCase(t.charAt(0));
            })
            .count();
    return 1 + 4.0 * ok / s.size();
  }

  static double insight(WritingTask task, String context, List<TextAnalysis.Sentence> s) {
    Set<String> covered = new HashSet<>();
    for (TextAnalysis.Sentence x : TextAnalysis.analyse(task.topic(), "", context)) {
      if (x.onTopic()) {
        covered.add(aspectOf(x));
      }
    }
    Set<String> mine = new HashSet<>();
    for (TextAnalysis.Sentence x : s) {
      String a = aspectOf(x);
      if (x.onTopic() && !a.isEmpty() && !a.equals("intro") && !a.equals("conclusion") && !a.equals("mention")) {
        mine.add(a);
      }
    }
    if (mine.isEmpty()) {
      return 2;
    }
    for (String a : mine) {
      if (!covered.contains(a)) {
        return 5;
      }
    }
    int aspects = task.topic().map(t -> Lexicon.get().kinds().get(t.kind()).aspects().size()).orElse(1);
    covered.retainAll(Lexicon.get().kinds().get(task.topic().get().kind()).aspects().keySet());
    return covered.size() >= aspects ? 4 : 3; // once every aspect is covered, revisiting is fine
  }

  static String aspectOf(TextAnalysis.Sentence s) {
    return s.match().map(m -> m.aspect()).orElse("");
  }
}
