package dev.longdpo.model.generate;

/**
 * A continuation to score after a prefix. Holds an array: copied on the way in.
 *
 * <p>The boundary rule: the continuation's ids follow the prefix's ids exactly as given, never
 * re-tokenized together. Text callers encode the prefix with special tokens (BOS) and the
 * continuation without, which is what generation produces: a prompt's ids, then sampled ids.
 */
public final class ScoreRequest {

  private final PrefixState prefix;
  private final int[] continuation;

  /** @param continuation at least one token id */
  public ScoreRequest(PrefixState prefix, int[] continuation) {
    if (continuation.length == 0) {
      throw new IllegalArgumentException("nothing to score: the continuation is empty");
    }
    this.prefix = prefix;
    this.continuation = continuation.clone();
  }

  /** The prefix. */
  public PrefixState prefix() {
    return prefix;
  }

  /** The continuation ids. */
  public int[] continuation() {
    return continuation.clone();
  }

  int[] continuationView() {
    return continuation;
  }
}
