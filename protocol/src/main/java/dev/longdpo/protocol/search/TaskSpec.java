package dev.longdpo.protocol.search;

import java.util.List;

/**
 * A writing task as workers receive it: id, prompt, required length, and the full task as one JSON
 * line (the task file format), which a worker's backend parses for the fields it needs.
 *
 * @param id the task id
 * @param prompt the user prompt
 * @param length required length in words
 * @param json the task as one JSON line
 */
public record TaskSpec(String id, String prompt, int length, String json) {

  /** Tasks as a prompt file's text: each one's JSON line, the task file format. */
  public static String jsonLines(List<TaskSpec> tasks) {
    StringBuilder b = new StringBuilder();
    for (TaskSpec t : tasks) {
      b.append(t.json()).append('\n');
    }
    return b.toString();
  }
}
