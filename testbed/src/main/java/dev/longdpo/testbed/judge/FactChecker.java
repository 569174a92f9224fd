package dev.longdpo.testbed.judge;

import dev.longdpo.testbed.text.Paragraphs;
import dev.longdpo.testbed.text.SentenceMatcher;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The memory pool's fact machinery (LongDPO §2.5, re-implemented from its intent): extraction of
 * (entity, attribute, value) statements, a similarity-gated lookup, and contradiction = the same
 * entity and attribute with another value.
 *
 * <p>The embedding is a bag of lower-case words (numbers included); the gate is cosine similarity
 * at or above a threshold (the paper's 0.8). Two statements of one attribute share every word but
 * the value, so they pass the gate; statements of different attributes mostly do not, which keeps
 * the comparison as cheap as the paper's chunk-level check. Stateless and thread-safe.
 */
public final class FactChecker {

  /** A candidate fact that contradicts a stored one. */
  public record Contradiction(Fact candidate, Fact stored, double similarity) {}

  private final double threshold;

  /** @param threshold cosine similarity at or above which two statements are compared (0.8) */
  public FactChecker(double threshold) {
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("similarity threshold " + threshold + " must be in [0, 1]");
    }
    this.threshold = threshold;
  }

  /** The facts stated in {@code text}, in order. */
  public List<Fact> extract(String text) {
    List<Fact> out = new ArrayList<>();
    for (String s : Paragraphs.allSentences(text)) {
      Optional<SentenceMatcher.Match> m = SentenceMatcher.get().match(s);
      if (m.isPresent() && m.get().template().attribute().isPresent()) {
        String attribute = m.get().template().attribute().get();
        out.add(new Fact(m.get().subject(), attribute, m.get().values().get(attribute), s));
      }
    }
    return out;
  }

  /** Cosine similarity of two sentences' bag-of-words embeddings. */
  public static double similarity(String a, String b) {
    Map<String, Integer> x = bag(a);
    Map<String, Integer> y = bag(b);
    double dot = 0;
    for (Map.Entry<String, Integer> e : x.entrySet()) {
      dot += e.getValue() * y.getOrDefault(e.getKey(), 0);
    }
    double nx = Math.sqrt(x.values().stream().mapToDouble(v -> v * v).sum());
    double ny = Math.sqrt(y.values().stream().mapToDouble(v -> v * v).sum());
    return nx == 0 || ny == 0 ? 0 : dot / (nx * ny);
  }

  private static Map<String, Integer> bag(String s) {
    Map<String, Integer> m = new HashMap<>();
    for (String w : s.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
      if (!w.isEmpty()) {
        m.merge(w, 1, Integer::sum);
      }
    }
    return m;
  }

  /** The stored facts a candidate fact contradicts (after the similarity gate). */
  public List<Contradiction> contradictions(Fact candidate, Collection<Fact> stored) {
    List<Contradiction> out = new ArrayList<>();
    for (Fact f : stored) {
      double sim = similarity(candidate.sentence(), f.sentence());
      if (sim >= threshold - 1e-9 // 4 of 5 shared words is exactly 0.8, up to rounding
          && f.entity().equals(candidate.entity())
          && f.attribute().equals(candidate.attribute())
          && !f.value().equals(candidate.value())) {
        out.add(new Contradiction(candidate, f, sim));
      }
    }
    return out;
  }

  /** Every contradiction between the facts of {@code text} and the stored facts. */
  public List<Contradiction> check(String text, Collection<Fact> stored) {
    List<Contradiction> out = new ArrayList<>();
    for (Fact f : extract(text)) {
      out.addAll(contradictions(f, stored));
    }
    return out;
  }
}
