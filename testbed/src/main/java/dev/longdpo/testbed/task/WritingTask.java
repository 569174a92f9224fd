package dev.longdpo.testbed.task;

import dev.longdpo.model.PromptTemplate;
import java.util.Optional;

/**
 * One writing task in LongBench-Write's shape: a prompt and the required length in words, plus,
 * for testbed tasks, the topic with its facts and, for sectioned tasks, the sections asked for.
 * Real LongBench-Write prompts have neither; the judge then treats the principles that need them
 * as neutral.
 *
 * @param id stable id (a line without one gets its 0-based line index)
 * @param prompt the user prompt, without the model template
 * @param length required length in words (> 0)
 * @param type LongBench-Write's type field, or the testbed's "plain" / "sectioned"
 * @param topic the subject and facts, for testbed tasks
 * @param sections the sections, for sectioned tasks
 */
public record WritingTask(
    String id,
    String prompt,
    int length,
    String type,
    Optional<Topic> topic,
    Optional<SectionSpec> sections) {

  /** Checks the fields a task cannot do without. */
  public WritingTask {
    if (prompt == null || prompt.isBlank()) {
      throw new IllegalArgumentException("prompt: must not be empty");
    }
    if (length <= 0) {
      throw new IllegalArgumentException("length: " + length + " must be > 0");
    }
  }

  /** The model input: the prompt in the one format shared everywhere ({@code [INST] ... [/INST]}). */
  public String modelInput() {
    return PromptTemplate.INST.apply(prompt);
  }

  /** Whether this is a sectioned (LongGenBench-style) task. */
  public boolean isSectioned() {
    return sections.isPresent();
  }
}
