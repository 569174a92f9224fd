package dev.longdpo.model.nn;

import ai.djl.ndarray.NDArray;

/** Where a decoding step's keys and values go, one token per row. */
public interface DecodeKv {

  /**
   * Stores this step's keys and values and returns what the step attends to.
   *
   * @param layer decoder layer index
   * @param keys this step's keys, {@code [B, kvHeads, headDim]}, RoPE already applied
   * @param values this step's values, {@code [B, kvHeads, headDim]}
   * @return {@code {keys, values}} of shape {@code [B, kvHeads, S, headDim]}, this step's last
   */
  NDArray[] write(int layer, NDArray keys, NDArray values);
}
