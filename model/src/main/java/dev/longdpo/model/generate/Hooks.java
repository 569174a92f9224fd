package dev.longdpo.model.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The standard logits hooks. All are stateless, so one instance may serve many sequences. */
public final class Hooks {

  private Hooks() {}

  /** A hook that changes nothing. */
  public static LogitsHook none() {
    return (history, logits) -> {};
  }

  /** Bans these token ids outright. */
  public static LogitsHook bannedTokens(Set<Integer> ids) {
    int[] banned = ids.stream().mapToInt(Integer::intValue).toArray();
    return (history, logits) -> {
      for (int id : banned) {
        if (id >= 0 && id < logits.length) {
          logits[id] = Float.NEGATIVE_INFINITY;
        }
      }
    };
  }

  /**
   * Bans the token that would complete any of these n-grams (sequences of token ids, length ≥ 1).
   * The n-gram may start in the prefix: a step cannot repeat a phrase its prompt ended with.
   */
  public static LogitsHook bannedNgrams(List<int[]> ngrams) {
    List<int[]> copies = new ArrayList<>();
    for (int[] g : ngrams) {
      if (g.length == 0) {
        throw new IllegalArgumentException("an n-gram needs at least one token");
      }
      copies.add(g.clone());
    }
    return (history, logits) -> {
      int n = history.size();
      for (int[] g : copies) {
        int context = g.length - 1;
        if (context > n) {
          continue;
        }
        boolean match = true;
        for (int i = 0; i < context && match; i++) {
          match = history.get(n - context + i) == g[i];
        }
        int last = g[g.length - 1];
        if (match && last >= 0 && last < logits.length) {
          logits[last] = Float.NEGATIVE_INFINITY;
        }
      }
    };
  }

  /** Adds a bias to the logits of these ids (positive favours, negative disfavours). */
  public static LogitsHook additiveBias(Map<Integer, Float> biases) {
    Map<Integer, Float> copy = Map.copyOf(biases);
    return (history, logits) -> {
      for (Map.Entry<Integer, Float> e : copy.entrySet()) {
        int id = e.getKey();
        if (id >= 0 && id < logits.length) {
          logits[id] += e.getValue();
        }
      }
    };
  }

  /**
   * Hugging Face's repetition penalty: each token already in the sequence (prefix included) has its
   * logit divided by {@code penalty} if positive, multiplied if negative.
   *
   * @param penalty ≥ 1; 1 changes nothing
   */
  public static LogitsHook repetitionPenalty(float penalty) {
    if (!(penalty >= 1)) {
      throw new IllegalArgumentException("repetition penalty: " + penalty + " must be >= 1");
    }
    return (history, logits) -> {
      Set<Integer> seen = new HashSet<>();
      for (int i = 0; i < history.size(); i++) {
        int id = history.get(i);
        if (id >= 0 && id < logits.length && seen.add(id)) {
          logits[id] = logits[id] > 0 ? logits[id] / penalty : logits[id] * penalty;
        }
      }
    };
  }

  /** Applies hooks in order. */
  public static LogitsHook chain(LogitsHook... hooks) {
    LogitsHook[] copy = Arrays.copyOf(hooks, hooks.length);
    return (history, logits) -> {
      for (LogitsHook h : copy) {
        h.apply(history, logits);
      }
    };
  }
}
