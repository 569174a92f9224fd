package dev.longdpo.actors.backend;

import java.util.Collection;
import java.util.List;

/** Extracts facts and finds contradictions, for the memory pool. Thread-safe. */
public interface Facts {

  /** The facts a text states. */
  List<StatedFact> extract(String text);

  /** The stored facts that {@code text} contradicts (after the similarity gate). */
  List<StatedFact> contradicted(String text, Collection<StatedFact> stored);

  /** For each candidate, whether it contradicts a stored fact: the memory pool's veto. */
  default List<Boolean> contradicts(List<String> candidates, Collection<StatedFact> stored) {
    return candidates.stream().map(c -> !contradicted(c, stored).isEmpty()).toList();
  }
}
