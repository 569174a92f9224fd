package dev.longdpo.testbed.metrics;

import dev.longdpo.testbed.task.Topic;
import dev.longdpo.testbed.task.TaskGenerator;
import dev.longdpo.testbed.task.WritingTask;
import dev.longdpo.testbed.text.Paragraphs;
import dev.longdpo.protocol.text.Words;
import dev.longdpo.testbed.world.Kind;
import dev.longdpo.testbed.world.Lexicon;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Metrics computed from the text and the task alone, never from the judge (which is also the
 * search's reward, so it must not be the only witness):
 *
 * <ul>
 *   <li>repeated sentences: a sentence equal (case and spacing aside) to an earlier one;
 *   <li>off-topic sentences: naming another subject and not the task's;
 *   <li>contradicting statements: a sentence stating one of the task's facts with another value;
 *   <li>section completion: share of the sections 1..N present (sectioned tasks);
 *   <li>length error: |words / required − 1|.
 * </ul>
 */
public final class JudgeFreeMetrics {

  /** Counts for one output. */
  public record Counts(
      int sentences,
      int repeated,
      int offTopic,
      int contradictions,
      boolean sectioned,
      double sectionCompletion,
      double lengthError) {}

  /** Rates over many outputs: sentence rates pooled, the others averaged. */
  public record Summary(
      double repeatedRate,
      double offTopicRate,
      double contradictionRate,
      double sectionCompletion,
      double lengthError,
      int samples) {

    /** The metrics by name, as reports print them. */
    public Map<String, Double> asMap() {
      Map<String, Double> m = new java.util.LinkedHashMap<>();
      m.put("repeated_sentence_rate", repeatedRate);
      m.put("off_topic_rate", offTopicRate);
      m.put("contradiction_rate", contradictionRate);
      m.put("section_completion", sectionCompletion);
      m.put("length_error", lengthError);
      return m;
    }
  }

  private static final Map<String, Pattern> NAME_PATTERNS = namePatterns();

  private JudgeFreeMetrics() {}

  private static Map<String, Pattern> namePatterns() {
    Map<String, Pattern> m = new java.util.LinkedHashMap<>();
    for (String name : Lexicon.get().subjectNames()) {
      m.put(name, Pattern.compile("\\b" + Pattern.quote(name) + "\\b"));
    }
    return m;
  }

  /** Counts for one output. */
  public static Counts count(WritingTask task, String output) {
    List<String> sentences = Paragraphs.allSentences(output);
    Set<String> seen = new HashSet<>();
    int repeated = 0;
    int offTopic = 0;
    int contradictions = 0;
    List<FactPattern> facts = task.topic().map(JudgeFreeMetrics::factPatterns).orElse(List.of());
    for (String s : sentences) {
      if (!seen.add(s.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip())) {
        repeated++;
      }
      if (task.topic().isPresent() && isOffTopic(s, task.topic().get())) {
        offTopic++;
      }
      for (FactPattern f : facts) {
        Matcher m = f.pattern().matcher(s.strip());
        if (m.matches() && !m.group(1).equals(f.value())) {
          contradictions++;
          break;
        }
      }
    }
    double completion = 0;
    if (task.sections().isPresent()) {
      completion = SectionMetrics.count(task.sections().get(), output).cr() / 100.0;
    }
    double lengthError = Math.abs((double) Words.count(output) / task.length() - 1);
    return new Counts(sentences.size(), repeated, offTopic, contradictions, task.isSectioned(), completion, lengthError);
  }

  /** Aggregates. */
  public static Summary summarize(List<Counts> counts) {
    int sentences = counts.stream().mapToInt(Counts::sentences).sum();
    double denominator = Math.max(1, sentences);
    double completion =
        counts.stream().filter(Counts::sectioned).mapToDouble(Counts::sectionCompletion).average().orElse(0);
    return new Summary(
        counts.stream().mapToInt(Counts::repeated).sum() / denominator,
        counts.stream().mapToInt(Counts::offTopic).sum() / denominator,
        counts.stream().mapToInt(Counts::contradictions).sum() / denominator,
        completion,
        counts.stream().mapToDouble(Counts::lengthError).average().orElse(0),
        counts.size());
  }

  private record FactPattern(Pattern pattern, String value) {}

  /** For each fact, the sentence that states it with the value left open. */
  private static List<FactPattern> factPatterns(Topic topic) {
    Kind kind = Lexicon.get().kinds().get(topic.kind());
    List<FactPattern> out = new ArrayList<>();
    for (Map.Entry<String, String> fact : topic.facts().entrySet()) {
      String template = TaskGenerator.factTemplate(kind, fact.getKey()).pattern().replace("{E}", topic.subject());
      String[] parts = template.split("\\{" + Pattern.quote(fact.getKey()) + "}", -1);
      String regex = Pattern.quote(parts[0]) + "(.+?)" + Pattern.quote(parts[1]);
      out.add(new FactPattern(Pattern.compile(regex), fact.getValue()));
    }
    return out;
  }

  private static boolean isOffTopic(String sentence, Topic topic) {
    if (sentence.contains(topic.subject())) {
      return false;
    }
    for (Map.Entry<String, Pattern> name : NAME_PATTERNS.entrySet()) {
      if (!topic.facts().containsValue(name.getKey()) && name.getValue().matcher(sentence).find()) {
        return true;
      }
    }
    return false;
  }
}
