package dev.longdpo.model.nn;

import ai.djl.ndarray.NDArray;

/**
 * Per-call inputs every decoder layer shares.
 *
 * @param cos RoPE cosines for each query position, {@code [B, T, 1, headDim]}
 * @param sinSigned RoPE sines with the first half negated (see {@link RotaryTable}), same shape
 * @param mask additive attention mask broadcastable to {@code [B, 1, 1, T, S]}: 0 where a query
 *     may attend, a large negative number where it may not
 * @param kv where keys and values come from and go to
 */
public record AttentionContext(NDArray cos, NDArray sinSigned, NDArray mask, KvStore kv) {}
