/** Gpu-worker actors: stepwise DPO on the pair stream, checkpoints announced to the evaluators. */
package dev.longdpo.gpuworker;
