package dev.longdpo.coordinator.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An integer per prompt of a run, for formats whose {@code group_id} is an integer (the official
 * LongDPO trainer's). A prompt's number is its 0-based line in the run's {@code prompts.jsonl}, so
 * exports of one run agree whenever they are made; {@code group_ids.tsv} in the run directory keeps
 * the mapping beside the exports that use it.
 */
public final class GroupIds {

  /** The mapping's file name in a run directory. */
  public static final String FILE = "group_ids.tsv";

  private static final String HEADER = "group_id\tprompt_id";

  private final Map<String, Integer> byPrompt;
  private final Path source;

  private GroupIds(Map<String, Integer> byPrompt, Path source) {
    this.byPrompt = byPrompt;
    this.source = source;
  }

  /** Numbers the prompts in their order; {@code source} names the mapping in errors. */
  public static GroupIds inOrder(List<String> promptIds, Path source) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (String id : promptIds) {
      if (m.putIfAbsent(id, m.size()) != null) {
        throw new IllegalArgumentException(source + ": prompt id '" + id + "' appears twice");
      }
    }
    return new GroupIds(m, source);
  }

  /** Reads a mapping written by {@link #write}. */
  public static GroupIds read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
      throw new IllegalArgumentException(file + ":1: expected the header '" + HEADER.replace("\t", "<tab>") + "'");
    }
    Map<String, Integer> m = new LinkedHashMap<>();
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).split("\t", -1);
      if (f.length != 2 || !f[0].equals(Integer.toString(i - 1)) || m.putIfAbsent(f[1], i - 1) != null) {
        throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected '" + (i - 1)
            + "<tab><prompt id seen once>', got '" + lines.get(i) + "'");
      }
    }
    return new GroupIds(m, file);
  }

  /** Writes the mapping, a header then one {@code number<tab>prompt id} line per prompt. */
  public void write(Path file) throws IOException {
    StringBuilder b = new StringBuilder(HEADER).append('\n');
    byPrompt.forEach((id, n) -> b.append(n).append('\t').append(id).append('\n'));
    RunDirectory.writeAtomically(file, b.toString());
  }

  /** The prompt's number. */
  public int of(String promptId) {
    Integer n = byPrompt.get(promptId);
    if (n == null) {
      throw new IllegalArgumentException(source + ": no group id for prompt '" + promptId + "'");
    }
    return n;
  }

  /** How many prompts are numbered. */
  public int size() {
    return byPrompt.size();
  }
}
