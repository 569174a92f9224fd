package dev.longdpo.protocol.search;

/**
 * A writing task as workers receive it: id, prompt, required length, and the full task as one JSON
 * line (the task file format), which a worker's backend parses for the fields it needs.
 *
 * @param id the task id
 * @param prompt the user prompt
 * @param length required length in words
 * @param json the task as one JSON line
 */
public record TaskSpec(String id, String prompt, int length, String json) {}
