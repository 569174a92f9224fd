/**
 * Training primitives: masked token log-probs over padded batches, AdamW with warmup and cosine
 * decay, gradient-norm clipping, and optimizer state that is saved with a checkpoint and restored.
 */
package dev.longdpo.model.train;
