package dev.longdpo.model.generate;

/** Why a generation ended, in OpenAI's terms. */
public enum FinishReason {
  /** End of sequence, a stop token or a stop string. */
  STOP,
  /** The token limit or the model's context length. */
  LENGTH;

  /** The lower-case name used in JSON output ({@code stop} / {@code length}). */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
