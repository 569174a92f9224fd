package dev.longdpo.testbed.world;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The fixed world the testbed writes about: every subject (a city, an inventor, ...) with its true
 * attributes. Like an LLM's knowledge, the facts are learned in pretraining, not given in prompts;
 * the judge checks accuracy against them and against what the text said before.
 */
public final class World {

  /** A subject with its true attributes. */
  public record Subject(String kind, String name, Map<String, String> facts) {}

  private static final long SEED = 4242L;
  /**
   * Share of each kind's subjects in the validation split and again in the test split; the rest
   * (half) is train. A quarter rather than a fifth: the 68 subjects then give 17 to each held-out
   * split (12 with a fifth), and the report's intervals resample subjects. The search's skill
   * (length, structure, consistency) does not depend on which subject it writes about, so 34
   * train subjects are enough for it.
   */
  private static final double HELD_OUT_SHARE = 0.25;
  private static final World INSTANCE = new World(Lexicon.get());

  private final List<Subject> subjects;
  private final Map<String, Subject> byName = new LinkedHashMap<>();
  private final Map<Split, List<Subject>> splits = new java.util.EnumMap<>(Split.class);

  /** The one world. */
  public static World get() {
    return INSTANCE;
  }

  private World(Lexicon lexicon) {
    Random r = new Random(SEED);
    List<Subject> all = new ArrayList<>();
    for (Kind kind : lexicon.kinds().values()) {
      for (String name : lexicon.pool(kind.namePool())) {
        if (byName.containsKey(name)) {
          continue; // a person can be one inventor only
        }
        Map<String, String> facts = new LinkedHashMap<>();
        for (Map.Entry<String, String> a : kind.attributes().entrySet()) {
          List<String> pool = lexicon.pool(a.getValue());
          String v;
          do {
            v = pool.get(r.nextInt(pool.size()));
          } while (v.equals(name));
          facts.put(a.getKey(), v);
        }
        Subject s = new Subject(kind.name(), name, facts);
        all.add(s);
        byName.put(name, s);
      }
    }
    this.subjects = List.copyOf(all);
    split(lexicon);
  }

  /**
   * Splits the subjects once, from the world's own seed and nothing else, so no setting can move
   * a subject between splits. Kind by kind, so every split writes about every kind: of each
   * kind's shuffled subjects, a quarter (rounded) is test, the next quarter validation, the
   * rest train.
   */
  private void split(Lexicon lexicon) {
    Random r = new Random(SEED + 1);
    for (Split s : Split.values()) {
      splits.put(s, new ArrayList<>());
    }
    for (Kind kind : lexicon.kinds().values()) {
      List<Subject> ofKind = new ArrayList<>(subjects(kind.name()));
      java.util.Collections.shuffle(ofKind, r);
      int heldOut = (int) Math.round(ofKind.size() * HELD_OUT_SHARE);
      splits.get(Split.TEST).addAll(ofKind.subList(0, heldOut));
      splits.get(Split.VALIDATION).addAll(ofKind.subList(heldOut, 2 * heldOut));
      splits.get(Split.TRAIN).addAll(ofKind.subList(2 * heldOut, ofKind.size()));
    }
    splits.replaceAll((s, list) -> List.copyOf(list));
  }

  /** Every subject, kind by kind. */
  public List<Subject> subjects() {
    return subjects;
  }

  /** The subjects of one split, kind by kind. */
  public List<Subject> subjects(Split split) {
    return splits.get(split);
  }

  /** The split {@code subject} (a name) belongs to, if it is a subject of the world. */
  public java.util.Optional<Split> splitOf(String subject) {
    Subject s = byName.get(subject);
    if (s == null) {
      return java.util.Optional.empty();
    }
    return splits.entrySet().stream().filter(e -> e.getValue().contains(s)).map(Map.Entry::getKey).findFirst();
  }

  /** The subjects of one kind. */
  public List<Subject> subjects(String kind) {
    return subjects.stream().filter(s -> s.kind().equals(kind)).toList();
  }
}
