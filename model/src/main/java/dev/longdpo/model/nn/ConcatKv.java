package dev.longdpo.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * A fixed past per layer, concatenated in front of each call's keys and values. Used to extend a
 * prefix cache by a run of tokens, and in training to score several continuations of one prefix.
 * Keeps the concatenations, which are the extended cache.
 */
public final class ConcatKv implements KvStore {

  private final NDArray[] pastKeys;
  private final NDArray[] pastValues;
  private final NDArray[] keys;
  private final NDArray[] values;

  /**
   * @param pastKeys per layer {@code [B, kvHeads, P, headDim]}
   * @param pastValues per layer, same shapes
   */
  public ConcatKv(NDArray[] pastKeys, NDArray[] pastValues) {
    this.pastKeys = pastKeys.clone();
    this.pastValues = pastValues.clone();
    this.keys = new NDArray[pastKeys.length];
    this.values = new NDArray[pastKeys.length];
  }

  @Override
  public NDArray[] append(int layer, NDArray k, NDArray v) {
    // concat attaches its result to the first array's manager, which for a cached past is
    // long-lived: move it to this call's manager, where the new keys live.
    keys[layer] = NDArrays.concat(new NDList(pastKeys[layer], k), 2);
    keys[layer].attach(k.getManager());
    values[layer] = NDArrays.concat(new NDList(pastValues[layer], v), 2);
    values[layer].attach(v.getManager());
    return new NDArray[] {keys[layer], values[layer]};
  }

  /** Past plus new keys, per layer. */
  public NDArray[] keys() {
    return keys.clone();
  }

  /** Past plus new values, per layer. */
  public NDArray[] values() {
    return values.clone();
  }
}
