/** Messages between gpu-workers, the coordinator and the evaluator about checkpoints. */
package dev.longdpo.protocol.training;
