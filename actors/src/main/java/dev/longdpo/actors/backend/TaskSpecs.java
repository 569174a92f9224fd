package dev.longdpo.actors.backend;

import dev.longdpo.protocol.search.TaskSpec;
import dev.longdpo.testbed.task.TaskFile;
import dev.longdpo.testbed.task.WritingTask;
import java.util.concurrent.ConcurrentHashMap;

/** Converts between testbed tasks and the specs workers receive, parsing each spec once. */
public final class TaskSpecs {

  private static final ConcurrentHashMap<String, WritingTask> PARSED = new ConcurrentHashMap<>();

  private TaskSpecs() {}

  /** The spec of a task. */
  public static TaskSpec of(WritingTask task) {
    return new TaskSpec(task.id(), task.prompt(), task.length(), TaskFile.toJson(task));
  }

  /** The task a spec describes (cached by its JSON). */
  public static WritingTask task(TaskSpec spec) {
    if (PARSED.size() > 100_000) {
      PARSED.clear();
    }
    return PARSED.computeIfAbsent(spec.json(), TaskFile::fromJson);
  }
}
