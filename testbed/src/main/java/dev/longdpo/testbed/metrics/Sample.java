package dev.longdpo.testbed.metrics;

import dev.longdpo.testbed.task.WritingTask;

/**
 * A model's output for a task.
 *
 * @param task the task
 * @param output the answer text (leading space after the prompt removed)
 * @param endedWithEos whether the model ended the answer itself (rather than hitting the limit)
 */
public record Sample(WritingTask task, String output, boolean endedWithEos) {}
