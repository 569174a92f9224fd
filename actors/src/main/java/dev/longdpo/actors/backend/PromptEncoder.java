package dev.longdpo.actors.backend;

import dev.longdpo.protocol.search.TaskSpec;

/**
 * Turns a task into the policy's prompt: its chat template applied and the result tokenized with
 * the policy's tokenizer. The search starts every tree from these ids, so they belong to the policy
 * backend, not to the coordinator. Thread-safe.
 */
@FunctionalInterface
public interface PromptEncoder {

  /**
   * The templated prompt of a task.
   *
   * @param ids the prompt's token ids (with BOS where the model has one)
   * @param text the templated text the ids encode; pairs carry it as their prompt
   */
  record EncodedPrompt(int[] ids, String text) {}

  /** The task's prompt as the policy reads it. */
  EncodedPrompt encode(TaskSpec task);
}
