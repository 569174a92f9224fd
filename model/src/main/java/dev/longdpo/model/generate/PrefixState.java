package dev.longdpo.model.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;

/**
 * A token sequence and, optionally, the key/value cache of a prefix of it: the handle that lets K
 * continuations of one prompt, or the children of a search node, prefill the shared part once.
 *
 * <p>The tokens never change. The cache is a memo: {@link #dropCache()} frees it (under a memory
 * budget, say) and the next use recomputes it. A complete state also remembers the logits after
 * its last token, so forks start sampling without running the model. A state holds native memory
 * until dropped or closed; it is confined to the thread that runs its model (an actor).
 */
public final class PrefixState implements AutoCloseable {

  private final int[] tokens;
  private final long bytesPerToken;
  private NDManager manager;
  private NDArray[] keys;
  private NDArray[] values;
  private int cached;
  private float[] lastLogits;

  PrefixState(int[] tokens, long bytesPerToken) {
    if (tokens.length == 0) {
      throw new IllegalArgumentException("a prefix needs at least one token (e.g. BOS)");
    }
    this.tokens = tokens.clone();
    this.bytesPerToken = bytesPerToken;
  }

  /** Number of tokens. */
  public int length() {
    return tokens.length;
  }

  /** A copy of the tokens. */
  public int[] tokens() {
    return tokens.clone();
  }

  /** The token at {@code i}. */
  public int token(int i) {
    return tokens[i];
  }

  /** Number of leading tokens whose keys and values are cached. */
  public synchronized int cachedLength() {
    return cached;
  }

  /** Whether the cache covers every token and the next-token logits are known. */
  public synchronized boolean isComplete() {
    return cached == tokens.length && lastLogits != null;
  }

  /** Native memory held by the cache. */
  public synchronized long sizeInBytes() {
    return cached * bytesPerToken + (lastLogits == null ? 0 : 4L * lastLogits.length);
  }

  /** Frees the cache; the state stays usable and recomputes it when next needed. */
  public synchronized void dropCache() {
    if (manager != null) {
      manager.close();
    }
    manager = null;
    keys = null;
    values = null;
    cached = 0;
    lastLogits = null;
  }

  @Override
  public void close() {
    dropCache();
  }

  /** Replaces the cache. The arrays must already be attached to {@code owner}. */
  synchronized void setCache(NDManager owner, NDArray[] k, NDArray[] v, int length, float[] logits) {
    NDManager old = manager;
    manager = owner;
    keys = k;
    values = v;
    cached = length;
    lastLogits = logits;
    if (old != null && old != owner) {
      old.close();
    }
  }

  synchronized NDArray[] keys() {
    return keys;
  }

  synchronized NDArray[] values() {
    return values;
  }

  synchronized float[] lastLogits() {
    return lastLogits;
  }

  int[] tokensView() {
    return tokens;
  }

  @Override
  public String toString() {
    return "PrefixState[" + tokens.length + " tokens, " + cached + " cached, ends "
        + Arrays.toString(Arrays.copyOfRange(tokens, Math.max(0, tokens.length - 4), tokens.length))
        + "]";
  }
}
