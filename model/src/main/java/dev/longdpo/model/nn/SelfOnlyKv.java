package dev.longdpo.model.nn;

import ai.djl.ndarray.NDArray;

/**
 * No past: each call attends only to its own keys. Keeps what every layer produced, so a forward
 * over a prefix can become that prefix's cache.
 */
public final class SelfOnlyKv implements KvStore {

  private final NDArray[] keys;
  private final NDArray[] values;

  /** @param layers number of decoder layers */
  public SelfOnlyKv(int layers) {
    keys = new NDArray[layers];
    values = new NDArray[layers];
  }

  @Override
  public NDArray[] append(int layer, NDArray k, NDArray v) {
    keys[layer] = k;
    values[layer] = v;
    return new NDArray[] {k, v};
  }

  /** Keys each layer produced in the last forward, {@code [B, kvHeads, T, headDim]}. */
  public NDArray[] keys() {
    return keys.clone();
  }

  /** Values each layer produced in the last forward. */
  public NDArray[] values() {
    return values.clone();
  }
}
