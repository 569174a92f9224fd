package dev.longdpo.protocol.training;

import dev.longdpo.protocol.KryoMessage;
import dev.longdpo.protocol.coordinator.CoordinatorProtocol;

/**
 * A gpu-worker wrote a checkpoint (Hugging Face layout, optimizer state, trainer state), announced
 * to the coordinator and the evaluator. A path, never model weights: the receivers share the file
 * system with the worker (a later issue moves checkpoints between nodes).
 *
 * @param variant the worker's model variant ("longdpo", "dpo", "longdpo-beta0.5", ...)
 * @param name the checkpoint's name, unique within the run ("longdpo-step-40")
 * @param path the checkpoint directory
 * @param step optimizer steps taken
 * @param trainedTokens chosen + rejected tokens trained on so far
 * @param streamOffset pairs of the stream consumed in the current epoch
 * @param last whether it is the worker's final checkpoint
 */
public record CheckpointWritten(
    String variant, String name, String path, long step, long trainedTokens, long streamOffset, boolean last)
    implements CoordinatorProtocol.Command, EvaluatorProtocol.Command, KryoMessage {}
