package dev.longdpo.gpuworker.dpo;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a step's pairs into groups that run forward and backward one at a time (gradient
 * accumulation), so that a step's memory is bounded by a group's, not the batch's. The groups keep
 * the batch's order and depend only on the pairs, never on the machine.
 */
final class MicroBatches {

  private MicroBatches() {}

  /**
   * Consecutive groups whose padded size (pairs × the longest packed sequence, the rows of the
   * forward pass) is at most {@code maxTokens}; a pair longer than that alone. {@code maxTokens}
   * 0: one group.
   *
   * @param shared whether a pair is packed as one sequence (prefix, chosen, rejected) or run as two
   */
  static List<List<TrainingPair>> split(List<TrainingPair> batch, int maxTokens, boolean shared) {
    if (maxTokens == 0) {
      return List.of(batch);
    }
    List<List<TrainingPair>> groups = new ArrayList<>();
    List<TrainingPair> group = new ArrayList<>();
    int longest = 0;
    for (TrainingPair p : batch) {
      int rows = shared ? 1 : 2;
      int len = shared
          ? p.prefix().length + p.chosen().length + p.rejected().length
          : p.prefix().length + Math.max(p.chosen().length, p.rejected().length);
      int wider = Math.max(longest, len);
      if (!group.isEmpty() && (long) (group.size() + 1) * rows * wider > maxTokens) {
        groups.add(List.copyOf(group));
        group.clear();
        wider = len;
      }
      group.add(p);
      longest = wider;
    }
    groups.add(List.copyOf(group));
    return List.copyOf(groups);
  }
}
