package dev.longdpo.testbed.judge;

import dev.longdpo.model.generate.LogitsHook;
import dev.longdpo.model.generate.TokenHistory;
import dev.longdpo.model.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Critique-guided regeneration for a model that cannot read instructions: the suggestions become
 * decoding constraints through the generation's logits hook (LongDPO puts them in the prompt; the
 * training prefix never contains them either way).
 *
 * <ul>
 *   <li>avoid: every n-gram of {@value #NGRAM} tokens of an avoided phrase is banned (a one-word
 *       phrase is banned outright), in both its word-initial and spaced forms;
 *   <li>add: the phrase is guided token by token: its first token is boosted until the phrase has
 *       been written, and each next token is boosted while a prefix of it is being written;
 *   <li>length: SHORTER boosts ending the step or answer right after a sentence ends; LONGER
 *       penalizes ending the answer.
 * </ul>
 *
 * <p>One instance per sequence: it is stateless apart from reading the history.
 */
public final class CritiqueHook implements LogitsHook {

  /** Length of banned n-grams taken from longer phrases. */
  public static final int NGRAM = 4;

  private final List<int[]> banned = new ArrayList<>();
  private final List<int[]> guided = new ArrayList<>();
  private final Set<Integer> sentenceEnds;
  private final Set<Integer> stepEnds;
  private final Set<Integer> answerEnds;
  private final LengthDirection length;
  private final float boost;

  /**
   * @param tokenizer turns phrases into ids
   * @param suggestions what to enforce (their union)
   * @param sentenceEnds ids that end a sentence (".")
   * @param stepEnds ids that end a step (the paragraph break)
   * @param answerEnds ids that end the answer (EOS)
   * @param boost logit added to guided tokens (and to endings under SHORTER)
   */
  public CritiqueHook(
      TextTokenizer tokenizer,
      Collection<Suggestion> suggestions,
      Set<Integer> sentenceEnds,
      Set<Integer> stepEnds,
      Set<Integer> answerEnds,
      float boost) {
    LengthDirection dir = LengthDirection.KEEP;
    for (Suggestion s : suggestions) {
      for (String phrase : s.avoid()) {
        for (int[] ids : forms(tokenizer, phrase)) {
          if (ids.length <= NGRAM) {
            banned.add(ids);
          } else {
            for (int i = 0; i + NGRAM <= ids.length; i++) {
              banned.add(java.util.Arrays.copyOfRange(ids, i, i + NGRAM));
            }
          }
        }
      }
      for (String phrase : s.add()) {
        guided.addAll(forms(tokenizer, phrase));
      }
      if (s.length() != LengthDirection.KEEP && dir == LengthDirection.KEEP) {
        dir = s.length();
      }
    }
    this.sentenceEnds = Set.copyOf(sentenceEnds);
    this.stepEnds = Set.copyOf(stepEnds);
    this.answerEnds = Set.copyOf(answerEnds);
    this.length = dir;
    this.boost = boost;
  }

  /** The phrase as it would appear after a space and at a paragraph start. */
  private static List<int[]> forms(TextTokenizer t, String phrase) {
    Set<String> seen = new LinkedHashSet<>();
    List<int[]> out = new ArrayList<>();
    for (String form : List.of(" " + phrase.strip(), phrase.strip())) {
      int[] ids = t.encode(form, false);
      if (ids.length > 0 && seen.add(java.util.Arrays.toString(ids))) {
        out.add(ids);
      }
    }
    return out;
  }

  @Override
  public void apply(TokenHistory history, float[] logits) {
    int n = history.size();
    int generated = history.generatedCount();
    for (int[] g : banned) {
      int context = g.length - 1;
      if (context > generated) {
        continue; // only what this step writes is constrained
      }
      boolean match = true;
      for (int i = 0; i < context && match; i++) {
        match = history.get(n - context + i) == g[i];
      }
      if (match) {
        ban(logits, g[g.length - 1]);
      }
    }
    for (int[] phrase : guided) {
      if (contains(history, phrase)) {
        continue;
      }
      int progress = suffixPrefix(history, phrase);
      boostToken(logits, phrase[progress]);
    }
    boolean afterSentence = generated > 0 && sentenceEnds.contains(history.get(n - 1));
    if (length == LengthDirection.SHORTER && afterSentence) {
      stepEnds.forEach(id -> boostToken(logits, id));
      answerEnds.forEach(id -> boostToken(logits, id));
    } else if (length == LengthDirection.LONGER) {
      answerEnds.forEach(id -> addTo(logits, id, -2 * boost));
    }
  }

  private static boolean contains(TokenHistory h, int[] phrase) {
    int start = h.prefixLength();
    for (int i = start; i + phrase.length <= h.size(); i++) {
      boolean match = true;
      for (int j = 0; j < phrase.length && match; j++) {
        match = h.get(i + j) == phrase[j];
      }
      if (match) {
        return true;
      }
    }
    return false;
  }

  /** The longest proper prefix of {@code phrase} that the generated history ends with. */
  private static int suffixPrefix(TokenHistory h, int[] phrase) {
    int n = h.size();
    for (int k = Math.min(phrase.length - 1, h.generatedCount()); k > 0; k--) {
      boolean match = true;
      for (int j = 0; j < k && match; j++) {
        match = h.get(n - k + j) == phrase[j];
      }
      if (match) {
        return k;
      }
    }
    return 0;
  }

  private void boostToken(float[] logits, int id) {
    addTo(logits, id, boost);
  }

  private static void addTo(float[] logits, int id, float delta) {
    if (id >= 0 && id < logits.length && logits[id] != Float.NEGATIVE_INFINITY) {
      logits[id] += delta;
    }
  }

  private static void ban(float[] logits, int id) {
    if (id >= 0 && id < logits.length) {
      logits[id] = Float.NEGATIVE_INFINITY;
    }
  }
}
