package dev.longdpo.testbed.task;

import java.util.ArrayList;
import java.util.List;

/**
 * An instruction for some sections of a sectioned task: those sections must mention an item.
 *
 * @param type single, range or periodic
 * @param from first section (1-based)
 * @param to last section of a range (= from for single; the task's last for periodic)
 * @param every period of a periodic instruction (1 otherwise)
 * @param item what to mention, e.g. "a parade"
 */
public record SectionInstruction(InstructionType type, int from, int to, int every, String item) {

  /** Validates the numbers. */
  public SectionInstruction {
    if (from < 1 || to < from || every < 1) {
      throw new IllegalArgumentException("bad section instruction: from " + from + ", to " + to + ", every " + every);
    }
  }

  /** The section numbers this instruction applies to, ascending. */
  public List<Integer> sections() {
    List<Integer> out = new ArrayList<>();
    for (int s = from; s <= to; s += every) {
      out.add(s);
    }
    return out;
  }

  /** The instruction as the prompt states it, for sections labelled {@code label}. */
  public String render(String label) {
    String plural = label.toLowerCase(java.util.Locale.ROOT) + "s";
    return switch (type) {
      case SINGLE -> "In " + label + " " + from + ", mention " + item + ".";
      case RANGE -> "From " + label + " " + from + " to " + label + " " + to + ", mention " + item + ".";
      case PERIODIC -> "Every " + every + " " + plural + " from " + label + " " + from + ", mention " + item + ".";
    };
  }
}
