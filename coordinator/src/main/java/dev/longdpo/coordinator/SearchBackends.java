package dev.longdpo.coordinator;

import dev.longdpo.actors.backend.Facts;
import dev.longdpo.testbed.task.WritingTask;
import java.util.function.Function;

/**
 * What a coordinator needs besides its workers: how a task becomes the model's prompt ids and the
 * memory pool's fact checker (both thread-safe).
 *
 * @param promptTokens the templated prompt's ids for a task (with BOS)
 * @param facts the fact checker
 */
public record SearchBackends(Function<WritingTask, int[]> promptTokens, Facts facts) {}
