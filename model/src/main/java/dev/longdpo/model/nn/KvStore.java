package dev.longdpo.model.nn;

import ai.djl.ndarray.NDArray;

/**
 * What attention attends to: given this call's keys and values for a layer, returns the keys and
 * values of every position the new queries may see (earlier positions first).
 *
 * <p>Implementations decide where past keys live: nowhere (a full forward), in arrays that are
 * concatenated (a prefix extended once), or in a preallocated buffer written in place (decoding).
 */
public interface KvStore {

  /**
   * @param layer decoder layer index
   * @param keys this call's keys, {@code [B, kvHeads, T, headDim]}, RoPE already applied
   * @param values this call's values, {@code [B, kvHeads, T, headDim]}
   * @return {@code {keys, values}} of shape {@code [B, kvHeads, S, headDim]}, S ≥ T
   */
  NDArray[] append(int layer, NDArray keys, NDArray values);
}
