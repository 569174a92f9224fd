package dev.longdpo.testbed.text;

import dev.longdpo.testbed.world.Kind;
import dev.longdpo.testbed.world.Lexicon;
import dev.longdpo.testbed.world.Template;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognizes testbed sentences: which template a sentence instantiates, its subject and slot
 * values. A sentence that matches no template is not well formed. Thread-safe.
 */
public final class SentenceMatcher {

  /** A recognized sentence. */
  public record Match(Template template, String kind, String subject, Map<String, String> values) {
    /** The aspect the sentence covers. */
    public String aspect() {
      return template.aspect();
    }
  }

  private record Compiled(Template template, String kind, Pattern pattern, List<String> slots) {}

  private static final Pattern SLOT = Pattern.compile("\\{([^}]+)}");
  private static final String NAME = "[A-Z][a-z]+(?: [A-Z][a-z]+)?";

  private static final SentenceMatcher INSTANCE = new SentenceMatcher(Lexicon.get());

  private static final int MEMO_LIMIT = 200_000;

  private final List<Compiled> templates = new ArrayList<>();
  private final java.util.concurrent.ConcurrentHashMap<String, Optional<Match>> memo =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The matcher for the lexicon. */
  public static SentenceMatcher get() {
    return INSTANCE;
  }

  private SentenceMatcher(Lexicon lexicon) {
    for (Kind kind : lexicon.kinds().values()) {
      List<Template> all = new ArrayList<>(kind.intro());
      kind.aspects().values().forEach(all::addAll);
      all.addAll(kind.conclusion());
      for (Template t : all) {
        templates.add(compile(lexicon, kind, t));
      }
    }
    for (Template t : SectionTemplates.mentions()) {
      templates.add(compile(lexicon, null, t));
    }
  }

  private static Compiled compile(Lexicon lexicon, Kind kind, Template t) {
    StringBuilder regex = new StringBuilder("^");
    List<String> slots = new ArrayList<>();
    Matcher m = SLOT.matcher(t.pattern());
    int last = 0;
    while (m.find()) {
      regex.append(Pattern.quote(t.pattern().substring(last, m.start())));
      String slot = m.group(1);
      slots.add(slot);
      String group = "s" + slots.size();
      regex.append("(?<").append(group).append('>');
      if (slot.equals("E")) {
        regex.append(NAME);
      } else {
        String pool = kind != null && kind.attributes().containsKey(slot) ? kind.attributes().get(slot) : slot;
        List<String> values = lexicon.pool(pool);
        regex.append(String.join("|", values.stream().map(Pattern::quote).toList()));
      }
      regex.append(')');
      last = m.end();
    }
    regex.append(Pattern.quote(t.pattern().substring(last))).append('$');
    return new Compiled(t, kind == null ? "" : kind.name(), Pattern.compile(regex.toString()), slots);
  }

  /**
   * The template {@code sentence} instantiates, if any. Results are memoized (bounded): the search
   * judges the same context sentences again for every candidate after them.
   */
  public Optional<Match> match(String sentence) {
    String s = sentence.strip();
    Optional<Match> cached = memo.get(s);
    if (cached != null) {
      return cached;
    }
    if (memo.size() > MEMO_LIMIT) {
      memo.clear();
    }
    Optional<Match> m = matchUncached(s);
    memo.put(s, m);
    return m;
  }

  private Optional<Match> matchUncached(String s) {
    for (Compiled c : templates) {
      Matcher m = c.pattern().matcher(s);
      if (m.matches()) {
        Map<String, String> values = new LinkedHashMap<>();
        String subject = "";
        for (int i = 0; i < c.slots().size(); i++) {
          String v = m.group("s" + (i + 1));
          if (c.slots().get(i).equals("E")) {
            subject = v;
          } else {
            values.put(c.slots().get(i), v);
          }
        }
        return Optional.of(new Match(c.template(), c.kind(), subject, values));
      }
    }
    return Optional.empty();
  }
}
