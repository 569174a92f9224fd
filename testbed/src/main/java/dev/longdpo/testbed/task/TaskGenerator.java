package dev.longdpo.testbed.task;

import dev.longdpo.testbed.world.Kind;
import dev.longdpo.testbed.world.Lexicon;
import dev.longdpo.testbed.world.Split;
import dev.longdpo.testbed.world.Template;
import dev.longdpo.testbed.world.World;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Seeded testbed tasks: plain writing tasks spread evenly over the four length buckets, and
 * sectioned (LongGenBench-style) tasks. The same seed and subjects always give the same tasks;
 * training, validation and test tasks come from different seeds and are about subjects of their
 * own {@link Split}.
 */
public final class TaskGenerator {

  /** Required lengths of plain tasks per testbed bucket: [min, max] words, multiples of 10. */
  private static final int[][] LENGTHS = {{20, 40}, {60, 190}, {200, 390}, {400, 500}};

  private final Lexicon lexicon = Lexicon.get();
  private final long seed;
  private final List<World.Subject> subjects;

  /**
   * Tasks from this seed about any subject of the world: the pretraining corpus's (the base's
   * world knowledge covers every subject) and tests'. Preference training and evaluation take a
   * {@link Split}.
   */
  public TaskGenerator(long seed) {
    this(seed, World.get().subjects());
  }

  /** Tasks from this seed about the subjects of {@code split} only. */
  public TaskGenerator(long seed, Split split) {
    this(seed, World.get().subjects(split));
  }

  private TaskGenerator(long seed, List<World.Subject> subjects) {
    this.seed = seed;
    this.subjects = subjects;
  }

  /**
   * Generates tasks.
   *
   * @param plain plain tasks, cycling through the buckets (index 0 → shortest)
   * @param sectioned sectioned tasks after them
   */
  public List<WritingTask> generate(int plain, int sectioned) {
    Random r = new Random(seed);
    List<WritingTask> out = new ArrayList<>();
    for (int i = 0; i < plain; i++) {
      int[] range = LENGTHS[i % LENGTHS.length];
      int length = 10 * ((range[0] + r.nextInt(range[1] - range[0] + 1)) / 10);
      out.add(plain("s" + seed + "-p" + i, length, r));
    }
    for (int i = 0; i < sectioned; i++) {
      out.add(sectioned("s" + seed + "-g" + i, r));
    }
    return out;
  }

  /**
   * Generates a mix: {@code perBucket[b]} plain tasks of bucket {@code b} (shortest first),
   * interleaved, then the sectioned tasks. Plain tasks cost the search about one step per 20
   * required words, so a mix weighted toward short tasks gives each bucket a similar share of the
   * pairs.
   */
  public List<WritingTask> generateMix(int[] perBucket, int sectioned) {
    if (perBucket.length != LENGTHS.length) {
      throw new IllegalArgumentException("one count per bucket: " + LENGTHS.length + " expected, got " + perBucket.length);
    }
    Random r = new Random(seed);
    int[] left = perBucket.clone();
    List<WritingTask> out = new ArrayList<>();
    int index = 0;
    boolean any = true;
    while (any) {
      any = false;
      for (int b = 0; b < LENGTHS.length; b++) {
        if (left[b] > 0) {
          left[b]--;
          any = true;
          int length = 10 * ((LENGTHS[b][0] + r.nextInt(LENGTHS[b][1] - LENGTHS[b][0] + 1)) / 10);
          out.add(plain("s" + seed + "-p" + index++, length, r));
        }
      }
    }
    for (int i = 0; i < sectioned; i++) {
      out.add(sectioned("s" + seed + "-g" + i, r));
    }
    return out;
  }

  /** A random subject of this generator's, with its true facts. */
  Topic topic(Random r) {
    World.Subject s = subjects.get(r.nextInt(subjects.size()));
    return new Topic(s.kind(), s.name(), s.facts());
  }

  /**
   * The prompt ends with the subject, as in "In about 150 words, write about the city of Varno.":
   * its name is then the last thing the model reads before it starts, which a small model picks up
   * far sooner than a name buried earlier in the prompt.
   */
  private WritingTask plain(String id, int length, Random r) {
    Topic t = topic(r);
    Kind kind = lexicon.kinds().get(t.kind());
    String prompt =
        "In about " + length + " words, write about " + kind.nounPhrase().replace("{E}", t.subject()) + ".";
    return new WritingTask(id, prompt, length, "plain", Optional.of(t), Optional.empty());
  }

  private WritingTask sectioned(String id, Random r) {
    Topic t = topic(r);
    Kind kind = lexicon.kinds().get(t.kind());
    boolean weeks = r.nextBoolean();
    String label = weeks ? "Week" : "Floor";
    int count = 4 + r.nextInt(5);
    List<SectionInstruction> instructions = new ArrayList<>();
    List<String> items = new ArrayList<>(lexicon.mentionItems());
    java.util.Collections.shuffle(items, r);
    int single = 1 + r.nextInt(count);
    instructions.add(new SectionInstruction(InstructionType.SINGLE, single, single, 1, items.get(0)));
    int from = 1 + r.nextInt(count - 1);
    int to = Math.min(count, from + 1 + r.nextInt(2));
    instructions.add(new SectionInstruction(InstructionType.RANGE, from, to, 1, items.get(1)));
    if (r.nextBoolean()) {
      int every = 2 + r.nextInt(2);
      int start = 1 + r.nextInt(every);
      if (start <= count) {
        instructions.add(new SectionInstruction(InstructionType.PERIODIC, start, count, every, items.get(2)));
      }
    }
    SectionSpec spec = new SectionSpec(label, count, instructions);
    int length = 10 * Math.round((18f * count + 4f * spec.checkCount()) / 10f);
    String np = kind.nounPhrase().replace("{E}", t.subject());
    StringBuilder prompt =
        new StringBuilder(
            weeks
                ? "Keep a diary over " + count + " weeks, one paragraph per week starting with Week and its number."
                : "Write a museum guide over " + count + " floors, one paragraph per floor starting with Floor and its number.");
    for (SectionInstruction i : instructions) {
      prompt.append(' ').append(i.render(label));
    }
    prompt.append(" In about ").append(length).append(" words, write about ").append(np).append('.');
    return new WritingTask(id, prompt.toString(), length, "sectioned", Optional.of(t), Optional.of(spec));
  }

  /** One sentence per fact, from the template that states it. */
  static String factSentences(Kind kind, Topic t) {
    List<String> sentences = new ArrayList<>();
    for (Map.Entry<String, String> f : t.facts().entrySet()) {
      sentences.add(factTemplate(kind, f.getKey()).render(t.subject(), t.facts()));
    }
    return String.join(" ", sentences);
  }

  /** The template that states {@code attribute}. */
  public static Template factTemplate(Kind kind, String attribute) {
    for (List<Template> ts : kind.aspects().values()) {
      for (Template t : ts) {
        if (t.attribute().equals(Optional.of(attribute))) {
          return t;
        }
      }
    }
    throw new IllegalStateException(kind.name() + " has no template for " + attribute);
  }
}
