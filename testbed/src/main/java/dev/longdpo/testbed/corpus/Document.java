package dev.longdpo.testbed.corpus;

import dev.longdpo.testbed.task.WritingTask;

/**
 * A task and its reference answer (flaws included).
 *
 * @param task the writing task
 * @param answer the reference answer text (paragraphs, no end-of-sequence marker)
 * @param flaws what was planted in it
 */
public record Document(WritingTask task, String answer, PlantedFlaws flaws) {

  /** The answer as the model continues the prompt: one space after {@code [/INST]}. */
  public String completion() {
    return " " + answer;
  }
}
