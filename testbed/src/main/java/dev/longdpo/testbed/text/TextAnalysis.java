package dev.longdpo.testbed.text;

import dev.longdpo.testbed.task.Topic;
import dev.longdpo.testbed.world.Lexicon;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the judge sees in a span of text: its sentences, which template each instantiates, whether
 * it is about the task's subject, repeats an earlier sentence, or contradicts a fact.
 */
public final class TextAnalysis {

  /** One analysed sentence. */
  public record Sentence(
      String text,
      Optional<SentenceMatcher.Match> match,
      boolean onTopic,
      boolean offTopic,
      boolean repeated,
      boolean nearRepeated,
      Optional<String> contradictedAttribute) {

    /** Whether it instantiates a template (is well formed). */
    public boolean wellFormed() {
      return match.isPresent();
    }

    /** Whether it states a fact about the subject. */
    public boolean statesFact() {
      return match.isPresent() && match.get().template().attribute().isPresent();
    }
  }

  private TextAnalysis() {}

  /**
   * Analyses the sentences of {@code text} that follow {@code context} (both may be empty).
   * Repetition and contradiction are judged against the context and the earlier sentences of the
   * text; contradiction also against the task's facts.
   */
  public static List<Sentence> analyse(Optional<Topic> topic, String context, String text) {
    List<String> before = Paragraphs.allSentences(context);
    Set<String> seen = new HashSet<>();
    List<Set<String>> seenWords = new ArrayList<>();
    Map<String, String> stated = new java.util.HashMap<>();
    SentenceMatcher matcher = SentenceMatcher.get();
    for (String s : before) {
      seen.add(normalize(s));
      seenWords.add(wordSet(s));
      matcher.match(s).ifPresent(m -> recordFacts(topic, m, stated));
    }
    List<Sentence> out = new ArrayList<>();
    for (String s : Paragraphs.allSentences(text)) {
      Optional<SentenceMatcher.Match> m = matcher.match(s);
      String norm = normalize(s);
      boolean repeated = !seen.add(norm);
      Set<String> words = wordSet(s);
      boolean near = false;
      if (!repeated) {
        for (Set<String> w : seenWords) {
          if (jaccard(w, words) >= 0.85) {
            near = true;
            break;
          }
        }
      }
      seenWords.add(words);
      boolean onTopic = false;
      boolean offTopic = false;
      Optional<String> contradiction = Optional.empty();
      if (topic.isPresent()) {
        String subject = topic.get().subject();
        // A required-mention sentence ("This week I saw a parade.") serves the task though it
        // does not name the subject.
        boolean mention = m.isPresent() && m.get().aspect().equals("mention");
        onTopic = s.contains(subject) || mention;
        offTopic = !onTopic && namesForeignSubject(s, topic.get());
        if (m.isPresent() && m.get().subject().equals(subject) && m.get().template().attribute().isPresent()) {
          String attribute = m.get().template().attribute().get();
          String value = m.get().values().get(attribute);
          String expected = topic.get().facts().getOrDefault(attribute, stated.get(attribute));
          if (expected != null && !expected.equals(value)) {
            contradiction = Optional.of(attribute);
          }
        }
        m.ifPresent(x -> recordFacts(topic, x, stated));
      }
      out.add(new Sentence(s, m, onTopic, offTopic, repeated, near, contradiction));
    }
    return out;
  }

  private static void recordFacts(Optional<Topic> topic, SentenceMatcher.Match m, Map<String, String> stated) {
    if (topic.isPresent() && m.subject().equals(topic.get().subject()) && m.template().attribute().isPresent()) {
      String a = m.template().attribute().get();
      stated.putIfAbsent(a, m.values().get(a));
    }
  }

  /** Whether the sentence names a subject other than the task's (one not among its facts). */
  public static boolean namesForeignSubject(String sentence, Topic topic) {
    for (String name : Lexicon.get().subjectNames()) {
      if (!name.equals(topic.subject()) && !topic.facts().containsValue(name) && containsWord(sentence, name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean containsWord(String s, String word) {
    int i = s.indexOf(word);
    while (i >= 0) {
      boolean startOk = i == 0 || !Character.isLetter(s.charAt(i - 1));
      int end = i + word.length();
      boolean endOk = end >= s.length() || !Character.isLetter(s.charAt(end));
      if (startOk && endOk) {
        return true;
      }
      i = s.indexOf(word, i + 1);
    }
    return false;
  }

  /** Lower-case, single-spaced form for exact-repeat detection. */
  public static String normalize(String sentence) {
    return sentence.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
  }

  private static Set<String> wordSet(String s) {
    Set<String> out = new LinkedHashSet<>();
    for (String w : s.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }

  private static double jaccard(Set<String> a, Set<String> b) {
    if (a.isEmpty() && b.isEmpty()) {
      return 1;
    }
    int common = 0;
    for (String x : a) {
      if (b.contains(x)) {
        common++;
      }
    }
    return (double) common / (a.size() + b.size() - common);
  }
}
