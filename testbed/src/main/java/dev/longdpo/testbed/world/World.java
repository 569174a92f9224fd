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
  private static final World INSTANCE = new World(Lexicon.get());

  private final List<Subject> subjects;
  private final Map<String, Subject> byName = new LinkedHashMap<>();

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
  }

  /** Every subject, kind by kind. */
  public List<Subject> subjects() {
    return subjects;
  }

  /** The subjects of one kind. */
  public List<Subject> subjects(String kind) {
    return subjects.stream().filter(s -> s.kind().equals(kind)).toList();
  }
}
