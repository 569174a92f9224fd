package dev.longdpo.testbed.judge;

import dev.longdpo.testbed.task.SectionSpec;
import dev.longdpo.testbed.task.Topic;
import dev.longdpo.testbed.task.WritingTask;
import dev.longdpo.testbed.text.Paragraphs;
import dev.longdpo.testbed.text.TextAnalysis;
import dev.longdpo.testbed.world.Lexicon;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The critic (LongDPO §2.6): compares a weak chosen step with a sibling that beats it on some
 * principle and writes suggestions, most confident first. Each suggestion names what to avoid and
 * what to add, as an LLM critic's "writing suggestion" would, in a form decoding can enforce.
 * Stateless and thread-safe.
 */
public final class RuleCritic {

  /** A step as the critic sees it. */
  public record Step(String text, JudgeScore score, boolean endsAnswer) {}

  /**
   * Suggestions for improving {@code chosen}, from every principle on which {@code sibling} scores
   * higher (and the length term), sorted by confidence, highest first.
   */
  public List<Suggestion> critique(WritingTask task, String context, Step chosen, Step sibling) {
    List<Suggestion> out = new ArrayList<>();
    List<TextAnalysis.Sentence> mine = TextAnalysis.analyse(task.topic(), context, chosen.text());
    for (Principle p : Principle.values()) {
      if (sibling.score().score(p) > chosen.score().score(p)) {
        suggest(p, task, context, chosen, sibling, mine).ifPresent(out::add);
      }
    }
    if (sibling.score().lengthTerm() > chosen.score().lengthTerm() + 0.5) {
      boolean wrapUp = sibling.endsAnswer() && !chosen.endsAnswer()
          || sibling.text().length() < chosen.text().length();
      out.add(new Suggestion(
          Principle.FORMAT,
          wrapUp ? "Wrap up sooner: the answer is long enough." : "Keep writing: the answer is still too short.",
          3, List.of(), List.of(), wrapUp ? LengthDirection.SHORTER : LengthDirection.LONGER));
    }
    out.sort(Comparator.comparingInt(Suggestion::confidence).reversed());
    return out;
  }

  private Optional<Suggestion> suggest(
      Principle p, WritingTask task, String context, Step chosen, Step sibling, List<TextAnalysis.Sentence> mine) {
    Optional<Topic> topic = task.topic();
    switch (p) {
      case ACCURACY -> {
        if (topic.isEmpty()) {
          return Optional.empty();
        }
        List<String> avoid = new ArrayList<>();
        List<String> add = new ArrayList<>();
        for (TextAnalysis.Sentence s : mine) {
          if (s.contradictedAttribute().isPresent() && s.match().isPresent()) {
            String attribute = s.contradictedAttribute().get();
            avoid.add(s.match().get().values().get(attribute));
            String truth = topic.get().facts().get(attribute);
            if (truth != null) {
              add.add(truth);
            }
          }
        }
        if (avoid.isEmpty()) {
          return Optional.empty();
        }
        return Optional.of(new Suggestion(p,
            "Keep to the facts: write " + String.join(", ", add) + ", not " + String.join(", ", avoid) + ".",
            5, avoid, add, LengthDirection.KEEP));
      }
      case PURPOSE -> {
        if (topic.isEmpty()) {
          return Optional.empty();
        }
        Set<String> avoid = new LinkedHashSet<>();
        for (TextAnalysis.Sentence s : mine) {
          if (s.offTopic()) {
            s.match().ifPresent(m -> avoid.add(m.subject()));
          }
        }
        List<String> add = new ArrayList<>();
        task.sections().ifPresent(spec -> add.addAll(missingMentions(spec, chosen.text())));
        if (avoid.isEmpty() && add.isEmpty()) {
          add.add(topic.get().subject());
        }
        String text = !add.isEmpty() && task.sections().isPresent()
            ? "Follow the instructions for this section: mention " + String.join(" and ", add) + "."
            : "Stay on " + topic.get().subject() + (avoid.isEmpty() ? "." : "; leave out " + String.join(", ", avoid) + ".");
        return Optional.of(new Suggestion(p, text, task.sections().isPresent() && !add.isEmpty() ? 5 : 4,
            List.copyOf(avoid), add, LengthDirection.KEEP));
      }
      case FORMAT -> {
        if (task.sections().isPresent()) {
          String header = expectedHeader(task.sections().get(), context);
          return Optional.of(new Suggestion(p, "Start this paragraph with \"" + header + "\".", 4,
              List.of(), List.of(header), LengthDirection.KEEP));
        }
        boolean midConclusion = !chosen.endsAnswer()
            && mine.stream().anyMatch(s -> RuleJudge.aspectOf(s).equals("conclusion"));
        if (midConclusion) {
          return Optional.of(new Suggestion(p, "Do not conclude yet; the answer goes on.", 4,
              List.of("In the end", "All in all"), List.of(), LengthDirection.LONGER));
        }
        if (context.isBlank() && (mine.isEmpty() || !RuleJudge.aspectOf(mine.get(0)).equals("intro"))) {
          String intro = topic.map(t -> t.subject() + " is").orElse("");
          return Optional.of(new Suggestion(p, "Open with an introduction.", 3,
              List.of(), intro.isEmpty() ? List.of() : List.of(intro), LengthDirection.KEEP));
        }
        return Optional.of(new Suggestion(p, "Write one complete paragraph.", 2, List.of(), List.of(), LengthDirection.KEEP));
      }
      case DIVERSITY -> {
        List<String> avoid = new ArrayList<>();
        for (TextAnalysis.Sentence s : mine) {
          if (s.repeated() || s.nearRepeated()) {
            avoid.add(s.text());
          }
        }
        if (avoid.isEmpty()) {
          return Optional.empty();
        }
        return Optional.of(new Suggestion(p, "Do not repeat earlier sentences: " + String.join(" ", avoid), 4,
            avoid, List.of(), LengthDirection.KEEP));
      }
      case INSIGHT -> {
        if (topic.isEmpty()) {
          return Optional.empty();
        }
        Set<String> covered = new HashSet<>();
        for (TextAnalysis.Sentence s : TextAnalysis.analyse(topic, "", context + " " + chosen.text())) {
          covered.add(RuleJudge.aspectOf(s));
        }
        for (TextAnalysis.Sentence s : TextAnalysis.analyse(topic, context, sibling.text())) {
          String aspect = RuleJudge.aspectOf(s);
          if (!aspect.isEmpty() && !covered.contains(aspect) && s.onTopic() && s.match().isPresent()) {
            String phrase = leadPhrase(s.text(), topic.get().subject());
            return Optional.of(new Suggestion(p, "Cover something new, such as the " + aspect + ".", 3,
                List.of(), phrase.isEmpty() ? List.of() : List.of(phrase), LengthDirection.KEEP));
          }
        }
        return Optional.empty();
      }
      case READING -> {
        return Optional.of(new Suggestion(p, "Write complete, well-formed sentences.", 2,
            List.of(), List.of(), LengthDirection.KEEP));
      }
      case SAFETY -> {
        List<String> avoid = new ArrayList<>();
        String lower = chosen.text().toLowerCase(Locale.ROOT);
        for (String w : Lexicon.get().bannedWords()) {
          if (lower.contains(w)) {
            avoid.add(w);
          }
        }
        return avoid.isEmpty() ? Optional.empty()
            : Optional.of(new Suggestion(p, "Leave out unsafe words.", 5, avoid, List.of(), LengthDirection.KEEP));
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  /** Required items that a step's section paragraphs do not mention. */
  static List<String> missingMentions(SectionSpec spec, String step) {
    List<String> out = new ArrayList<>();
    for (String paragraph : Paragraphs.split(step)) {
      Optional<Paragraphs.Header> h = Paragraphs.header(paragraph);
      if (h.isPresent() && h.get().label().equals(spec.label())) {
        String lower = paragraph.toLowerCase(Locale.ROOT);
        for (String item : spec.requiredAt(h.get().number())) {
          if (!lower.contains(item.toLowerCase(Locale.ROOT))) {
            out.add(item);
          }
        }
      }
    }
    return out;
  }

  /** The header the next section should start with, e.g. "Week 3:". */
  static String expectedHeader(SectionSpec spec, String context) {
    int next = 1;
    for (String p : Paragraphs.split(context)) {
      Optional<Paragraphs.Header> h = Paragraphs.header(p);
      if (h.isPresent() && h.get().label().equals(spec.label())) {
        next = h.get().number() + 1;
      }
    }
    return spec.label() + " " + Math.min(next, spec.count()) + ":";
  }

  /** The opening words of a sentence up to (not including) the subject, or its first three words. */
  private static String leadPhrase(String sentence, String subject) {
    int at = sentence.indexOf(subject);
    String lead = at > 0 ? sentence.substring(0, at).strip() : "";
    if (lead.isEmpty()) {
      String[] words = sentence.split(" ");
      lead = String.join(" ", java.util.Arrays.copyOfRange(words, 0, Math.min(3, words.length)));
    }
    return lead.replaceAll("[,.]$", "");
  }
}
