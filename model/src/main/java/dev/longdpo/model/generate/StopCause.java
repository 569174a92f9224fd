package dev.longdpo.model.generate;

/** What exactly ended a generation; finer than {@link FinishReason}. */
public enum StopCause {
  /** The model's end-of-sequence token. */
  EOS,
  /** One of the request's stop token ids. */
  STOP_TOKEN,
  /** One of the request's stop strings. */
  STOP_STRING,
  /** One of the request's stop texts. */
  STOP_TEXT,
  /** The request's token limit. */
  MAX_TOKENS,
  /** The model's maximum position. */
  CONTEXT;

  /** The OpenAI-style reason. */
  public FinishReason finishReason() {
    return this == MAX_TOKENS || this == CONTEXT ? FinishReason.LENGTH : FinishReason.STOP;
  }
}
