package dev.longdpo.testbed.corpus;

import dev.longdpo.testbed.task.SectionSpec;
import dev.longdpo.testbed.task.TaskGenerator;
import dev.longdpo.testbed.task.Topic;
import dev.longdpo.testbed.task.WritingTask;
import dev.longdpo.testbed.text.Paragraphs;
import dev.longdpo.testbed.text.SectionTemplates;
import dev.longdpo.protocol.text.Words;
import dev.longdpo.testbed.world.Kind;
import dev.longdpo.testbed.world.Lexicon;
import dev.longdpo.testbed.world.Template;
import dev.longdpo.testbed.world.World;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Writes reference answers for testbed tasks: an intro, one aspect per paragraph (the facts of an
 * aspect the first time it comes up, varied sentences after), a conclusion, and about the required
 * number of words; or, for sectioned tasks, one paragraph per section with the required mentions.
 * Flaws are planted at the given rates and counted.
 */
public final class AnswerWriter {

  /** An answer and what was planted in it. */
  public record Answer(String text, PlantedFlaws flaws) {}

  /** No answer runs past this many words, so every document fits the base model's context. */
  public static final int MAX_WORDS = 760;

  private final Lexicon lexicon = Lexicon.get();
  private final FlawRates rates;

  /** A writer planting flaws at {@code rates}. */
  public AnswerWriter(FlawRates rates) {
    this.rates = rates;
  }

  /** Writes an answer for a testbed task (one with a topic). */
  public Answer write(WritingTask task, Random r) {
    Topic topic =
        task.topic().orElseThrow(() -> new IllegalArgumentException(task.id() + ": not a testbed task"));
    Kind kind = lexicon.kinds().get(topic.kind());
    return task.sections().isPresent()
        ? new Sectioned(kind, topic, task.sections().get(), r).write()
        : new Plain(kind, topic, task.length(), r).write();
  }

  /** Shared sentence choice: fresh sentences per aspect, off-topic drift and contradictions. */
  private abstract class Base {
    final Kind kind;
    final Topic topic;
    final Random r;
    final Set<String> used = new HashSet<>();
    final List<String> written = new ArrayList<>();
    final Set<String> factsStated = new HashSet<>();
    int sentences;
    int repeated;
    int offTopic;
    int factSentences;
    int contradictions;

    Base(Kind kind, Topic topic, Random r) {
      this.kind = kind;
      this.topic = topic;
      this.r = r;
    }

    /** A sentence about {@code aspect}, possibly replaced by a planted flaw. */
    String aspectSentence(String aspect) {
      if (written.size() >= 3 && r.nextDouble() < rates.repeatSentence()) {
        repeated++;
        return count(written.get(1 + r.nextInt(written.size() - 1)));
      }
      if (r.nextDouble() < rates.offTopic()) {
        offTopic++;
        return count(offTopicSentence());
      }
      List<Template> ts = new ArrayList<>(kind.aspects().get(aspect));
      // Facts first: the first time an aspect comes up, its facts are stated.
      for (Template t : ts) {
        if (t.attribute().isPresent() && !factsStated.contains(t.attribute().get())) {
          factsStated.add(t.attribute().get());
          return count(factSentence(t));
        }
      }
      Collections.shuffle(ts, r);
      for (Template t : ts) {
        if (t.attribute().isEmpty()) {
          String s = fresh(t);
          if (s != null) {
            return count(s);
          }
        }
      }
      // Every neutral sentence of the aspect is used: restate one of its facts.
      for (Template t : ts) {
        if (t.attribute().isPresent()) {
          return count(factSentence(t));
        }
      }
      return count(fresh(kind.intro().get(0)));
    }

    String factSentence(Template t) {
      factSentences++;
      Map<String, String> values = new LinkedHashMap<>(topic.facts());
      String attribute = t.attribute().orElseThrow();
      if (r.nextDouble() < rates.contradiction()) {
        contradictions++;
        List<String> pool = lexicon.pool(kind.attributes().get(attribute));
        String wrong;
        do {
          wrong = pool.get(r.nextInt(pool.size()));
        } while (wrong.equals(topic.facts().get(attribute)) || wrong.equals(topic.subject()));
        values.put(attribute, wrong);
      }
      return t.render(topic.subject(), values);
    }

    /** A not yet used instance of a template (its free slots drawn at random); null if none. */
    String fresh(Template t) {
      for (int attempt = 0; attempt < 12; attempt++) {
        Map<String, String> values = new LinkedHashMap<>(topic.facts());
        fillFreeSlots(t, values);
        String s = t.render(topic.subject(), values);
        if (used.add(s)) {
          return s;
        }
      }
      return null;
    }

    void fillFreeSlots(Template t, Map<String, String> values) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(t.pattern());
      while (m.find()) {
        String slot = m.group(1);
        if (!slot.equals("E") && !values.containsKey(slot) && lexicon.pools().containsKey(slot)) {
          List<String> pool = lexicon.pool(slot);
          values.put(slot, pool.get(r.nextInt(pool.size())));
        }
      }
    }

    /** A sentence about another subject of the world (with its true facts). */
    String offTopicSentence() {
      List<World.Subject> all = World.get().subjects();
      World.Subject other;
      do {
        other = all.get(r.nextInt(all.size()));
      } while (other.name().equals(topic.subject()) || topic.facts().containsValue(other.name()));
      Kind otherKind = lexicon.kinds().get(other.kind());
      List<String> aspects = otherKind.aspectNames();
      List<Template> ts = otherKind.aspects().get(aspects.get(r.nextInt(aspects.size())));
      Template t = ts.get(r.nextInt(ts.size()));
      Map<String, String> values = new LinkedHashMap<>(other.facts());
      fillFreeSlots(t, values);
      return t.render(other.name(), values);
    }

    String count(String sentence) {
      sentences++;
      written.add(sentence);
      used.add(sentence);
      return sentence;
    }
  }

  private final class Plain extends Base {
    private final int target;
    private boolean stoppedShort;
    private boolean ranLong;

    Plain(Kind kind, Topic topic, int length, Random r) {
      super(kind, topic, r);
      double u = r.nextDouble();
      if (u < rates.stopShort()) {
        stoppedShort = true;
        length = (int) Math.round(length * (0.40 + 0.25 * r.nextDouble()));
      } else if (u < rates.stopShort() + rates.runLong()) {
        ranLong = true;
        length = (int) Math.min(MAX_WORDS, Math.round(length * (1.40 + 0.50 * r.nextDouble())));
      }
      this.target = Math.max(12, length);
    }

    Answer write() {
      List<String> aspects = new ArrayList<>(kind.aspectNames());
      Collections.shuffle(aspects, r);
      Template closing = kind.conclusion().get(r.nextInt(kind.conclusion().size()));
      int closingWords = Words.count(closing.render(topic.subject(), Map.of()));
      List<List<String>> paragraphs = new ArrayList<>();
      List<String> current = new ArrayList<>();
      current.add(count(kind.intro().get(r.nextInt(kind.intro().size())).render(topic.subject(), Map.of())));
      int words = Words.count(current.get(0));
      int aspectIndex = 0;
      int perParagraph = 1 + r.nextInt(3);
      while (words + closingWords < target) {
        String s = aspectSentence(aspects.get(aspectIndex % aspects.size()));
        current.add(s);
        words += Words.count(s);
        if (current.size() >= perParagraph + (paragraphs.isEmpty() ? 1 : 0)
            && words + closingWords + 6 < target) {
          paragraphs.add(current);
          current = new ArrayList<>();
          aspectIndex++;
          perParagraph = 2 + r.nextInt(3);
        }
      }
      current.add(count(closing.render(topic.subject(), Map.of())));
      paragraphs.add(current);
      int repeatedParagraphs = 0;
      if (paragraphs.size() >= 3 && r.nextDouble() < rates.repeatParagraph()) {
        int copy = r.nextInt(paragraphs.size() - 1);
        paragraphs.add(paragraphs.size() - 1, paragraphs.get(copy));
        repeatedParagraphs = 1;
      }
      List<String> texts = new ArrayList<>();
      for (List<String> p : paragraphs) {
        texts.add(String.join(" ", p));
      }
      PlantedFlaws flaws =
          new PlantedFlaws(sentences, repeated, repeatedParagraphs, offTopic, factSentences, contradictions,
              1, stoppedShort ? 1 : 0, ranLong ? 1 : 0, 0, 0, 0, 0, 0);
      return new Answer(String.join(Paragraphs.SEPARATOR, texts), flaws);
    }
  }

  private final class Sectioned extends Base {
    private final SectionSpec spec;

    Sectioned(Kind kind, Topic topic, SectionSpec spec, Random r) {
      super(kind, topic, r);
      this.spec = spec;
    }

    Answer write() {
      List<Integer> order = new ArrayList<>();
      for (int k = 1; k <= spec.count(); k++) {
        order.add(k);
      }
      int missing = 0;
      int misplaced = 0;
      if (spec.count() >= 3 && r.nextDouble() < rates.missingSection()) {
        order.remove(1 + r.nextInt(order.size() - 2));
        missing = 1;
      }
      if (order.size() >= 3 && r.nextDouble() < rates.misplacedSection()) {
        int i = r.nextInt(order.size() - 1);
        Collections.swap(order, i, i + 1);
        misplaced = 1;
      }
      List<String> aspects = new ArrayList<>(kind.aspectNames());
      Collections.shuffle(aspects, r);
      Template mention = SectionTemplates.mentionFor(spec.label());
      List<String> paragraphs = new ArrayList<>();
      int required = 0;
      int ignored = 0;
      for (int i = 0; i < order.size(); i++) {
        int k = order.get(i);
        List<String> s = new ArrayList<>();
        s.add(aspectSentence(aspects.get(i % aspects.size())));
        if (r.nextBoolean()) {
          s.add(aspectSentence(aspects.get((i + 1) % aspects.size())));
        }
        for (String item : spec.requiredAt(k)) {
          required++;
          if (r.nextDouble() < rates.ignoredInstruction()) {
            ignored++;
          } else {
            s.add(count(mention.render(topic.subject(), Map.of("item", item))));
          }
        }
        paragraphs.add(spec.label() + " " + k + ": " + String.join(" ", s));
      }
      PlantedFlaws flaws =
          new PlantedFlaws(sentences, repeated, 0, offTopic, factSentences, contradictions, 1, 0, 0,
              order.size(), missing, misplaced, required, ignored);
      return new Answer(String.join(Paragraphs.SEPARATOR, paragraphs), flaws);
    }

  }

  /** The clean fact sentence for an attribute (used by tests and the critic). */
  public static String factSentence(Kind kind, Topic topic, String attribute) {
    return TaskGenerator.factTemplate(kind, attribute).render(topic.subject(), topic.facts());
  }
}
