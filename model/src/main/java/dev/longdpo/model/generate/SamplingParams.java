package dev.longdpo.model.generate;

import java.util.List;
import java.util.Set;

/**
 * How to pick each next token and when to stop.
 *
 * @param temperature 0 for greedy (argmax after hooks); otherwise logits are divided by it
 * @param topP nucleus size in (0, 1]; 1 keeps every token
 * @param topK keep the k most likely tokens; 0 keeps every token
 * @param maxNewTokens stop with {@link FinishReason#LENGTH} after this many tokens
 * @param stopAtEos stop when the model's end-of-sequence token is sampled (kept in the ids)
 * @param stopTokenIds further ids that end generation when sampled (kept in ids and text)
 * @param stopStrings texts that end generation once the output contains them; the text is cut
 *     before the stop string, the ids keep the token that completed it (OpenAI's {@code stop})
 * @param stopTexts texts that end generation after the token whose text completes them, whatever
 *     the tokenizer merged into that token; the text is the ids' text, stop text included, so the
 *     two always agree (a search step ending at a blank line)
 */
public record SamplingParams(
    double temperature,
    double topP,
    int topK,
    int maxNewTokens,
    boolean stopAtEos,
    Set<Integer> stopTokenIds,
    List<String> stopStrings,
    List<String> stopTexts) {

  /** Validates ranges. */
  public SamplingParams {
    if (!(temperature >= 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature: " + temperature + " must be >= 0");
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("top-p: " + topP + " must be in (0, 1]");
    }
    if (topK < 0) {
      throw new IllegalArgumentException("top-k: " + topK + " must be >= 0 (0 = off)");
    }
    if (maxNewTokens < 1) {
      throw new IllegalArgumentException("max-new-tokens: " + maxNewTokens + " must be >= 1");
    }
    stopTokenIds = Set.copyOf(stopTokenIds);
    stopStrings = List.copyOf(stopStrings);
    stopTexts = List.copyOf(stopTexts);
    for (String s : stopStrings) {
      if (s.isEmpty()) {
        throw new IllegalArgumentException("stop strings must not be empty");
      }
    }
    for (String s : stopTexts) {
      if (s.isEmpty()) {
        throw new IllegalArgumentException("stop texts must not be empty");
      }
    }
  }

  /** Greedy decoding up to {@code maxNewTokens}, stopping at end of sequence. */
  public static SamplingParams greedy(int maxNewTokens) {
    return new SamplingParams(0, 1, 0, maxNewTokens, true, Set.of(), List.of(), List.of());
  }

  /** Plain sampling at a temperature, stopping at end of sequence. */
  public static SamplingParams sampling(double temperature, int maxNewTokens) {
    return new SamplingParams(temperature, 1, 0, maxNewTokens, true, Set.of(), List.of(), List.of());
  }

  /** Whether tokens are picked by argmax. */
  public boolean isGreedy() {
    return temperature == 0;
  }

  /** A copy with nucleus sampling. */
  public SamplingParams withTopP(double p) {
    return new SamplingParams(temperature, p, topK, maxNewTokens, stopAtEos, stopTokenIds, stopStrings, stopTexts);
  }

  /** A copy with top-k sampling. */
  public SamplingParams withTopK(int k) {
    return new SamplingParams(temperature, topP, k, maxNewTokens, stopAtEos, stopTokenIds, stopStrings, stopTexts);
  }

  /** A copy with another token limit. */
  public SamplingParams withMaxNewTokens(int n) {
    return new SamplingParams(temperature, topP, topK, n, stopAtEos, stopTokenIds, stopStrings, stopTexts);
  }

  /** A copy with further stop token ids. */
  public SamplingParams withStopTokenIds(Set<Integer> ids) {
    return new SamplingParams(temperature, topP, topK, maxNewTokens, stopAtEos, ids, stopStrings, stopTexts);
  }

  /** A copy with stop strings. */
  public SamplingParams withStopStrings(List<String> strings) {
    return new SamplingParams(temperature, topP, topK, maxNewTokens, stopAtEos, stopTokenIds, strings, stopTexts);
  }

  /** A copy that does or does not stop at end of sequence. */
  public SamplingParams withStopAtEos(boolean stop) {
    return new SamplingParams(temperature, topP, topK, maxNewTokens, stop, stopTokenIds, stopStrings, stopTexts);
  }

  /** A copy with stop texts. */
  public SamplingParams withStopTexts(List<String> texts) {
    return new SamplingParams(temperature, topP, topK, maxNewTokens, stopAtEos, stopTokenIds, stopStrings, texts);
  }
}
