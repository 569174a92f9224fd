/**
 * Batched sampling with a key/value cache, prefix states that can be forked, logits hooks, and
 * scoring of continuations.
 */
package dev.longdpo.model.generate;
