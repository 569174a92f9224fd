package dev.longdpo.actors.backend;

import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.PromptTemplate;
import dev.longdpo.protocol.search.TaskSpec;

/** An in-process model's prompts: the {@code [INST] ... [/INST]} template and its tokenizer. */
public final class ModelPromptEncoder implements PromptEncoder {

  private final LanguageModel model;

  /** @param model the policy (not owned; its tokenizer must be thread-safe, as DJL's is) */
  public ModelPromptEncoder(LanguageModel model) {
    this.model = model;
  }

  @Override
  public EncodedPrompt encode(TaskSpec task) {
    String text = PromptTemplate.INST.apply(task.prompt());
    return new EncodedPrompt(model.encodePrompt(text), text);
  }
}
