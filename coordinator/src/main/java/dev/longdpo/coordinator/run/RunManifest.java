package dev.longdpo.coordinator.run;

import dev.longdpo.coordinator.search.SearchSettings;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a run's results depend on, stored as {@code run.json}. Resuming with a different manifest is
 * refused: pairs from two settings would mix in one log.
 *
 * @param runId the run's id (part of every pair id)
 * @param prompts number of prompts
 * @param promptsSha256 hash of the prompts file's content
 * @param policy what samples: the base model's key or checkpoint path
 * @param search the search settings that shape results (not operational ones such as trees in flight)
 */
public record RunManifest(String runId, int prompts, String promptsSha256, String policy, Map<String, String> search) {

  /** Copies the map. */
  public RunManifest {
    search = Map.copyOf(search);
  }

  /** The result-shaping search settings as strings. */
  public static Map<String, String> describe(SearchSettings s) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("k", Integer.toString(s.k()));
    m.put("rollouts", Integer.toString(s.rollouts()));
    m.put("c-base", Double.toString(s.cBase()));
    m.put("c-init", Double.toString(s.cInit()));
    m.put("decoding", s.decoding().toString());
    m.put("words-per-step", Integer.toString(s.wordsPerStep()));
    m.put("depth-cap-factor", Double.toString(s.depthCapFactor()));
    m.put("min-end-fraction", Double.toString(s.minEndFraction()));
    m.put("rejected", s.rejected().name());
    m.put("critique", s.critique() + "/" + s.critiqueThreshold() + "/" + s.maxSuggestions());
    m.put("memory-pool", s.memoryPool() + "/" + s.vetoRetries());
    m.put("seed", Long.toString(s.seed()));
    m.put("policy-version", Long.toString(s.policyVersion()));
    return m;
  }
}
