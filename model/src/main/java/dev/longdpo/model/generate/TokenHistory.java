package dev.longdpo.model.generate;

/** The tokens a sequence has so far: its prefix followed by what was generated. */
public interface TokenHistory {

  /** Number of tokens, prefix included. */
  int size();

  /** The token at {@code index} (0 = first prefix token). */
  int get(int index);

  /** Number of prefix tokens; generated tokens start at this index. */
  int prefixLength();

  /** Number of generated tokens. */
  default int generatedCount() {
    return size() - prefixLength();
  }
}
