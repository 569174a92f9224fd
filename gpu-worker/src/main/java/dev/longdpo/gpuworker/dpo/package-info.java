/** Stepwise DPO: the loss, policy log-probs with a shared prefix, the trainer and its checkpoints. */
package dev.longdpo.gpuworker.dpo;
