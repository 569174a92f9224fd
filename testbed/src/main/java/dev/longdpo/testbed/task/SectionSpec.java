package dev.longdpo.testbed.task;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The sections a LongGenBench-style task asks for.
 *
 * @param label "Week" or "Floor": each section is a paragraph starting {@code label k:}
 * @param count number of sections, 1..count
 * @param instructions what particular sections must mention
 */
public record SectionSpec(String label, int count, List<SectionInstruction> instructions) {

  /** Copies the list; checks instructions stay within the sections. */
  public SectionSpec {
    instructions = List.copyOf(instructions);
    if (count < 1) {
      throw new IllegalArgumentException("a sectioned task needs at least one section");
    }
    for (SectionInstruction i : instructions) {
      if (i.to() > count) {
        throw new IllegalArgumentException("instruction beyond section " + count + ": " + i);
      }
    }
  }

  /** The items section {@code number} must mention. */
  public Set<String> requiredAt(int number) {
    Set<String> out = new TreeSet<>();
    for (SectionInstruction i : instructions) {
      if (i.sections().contains(number)) {
        out.add(i.item());
      }
    }
    return out;
  }

  /** Number of (section, item) checks over all instructions. */
  public int checkCount() {
    int n = 0;
    for (SectionInstruction i : instructions) {
      n += i.sections().size();
    }
    return n;
  }
}
