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
   * Pairs run in one forward pass, every one packed as one sequence (prefix, chosen, rejected) or
   * every one as two (prefix + chosen, prefix + rejected).
   */
  record Group(List<TrainingPair> pairs, boolean shared) {}

  /**
   * Whether packing a pair saves attention work, quadratic in a sequence's length: (p + c + r)² is
   * at most (p + c)² + (p + r)² exactly when p² ≥ 2·c·r. A stepwise pair (a long prefix, short
   * steps) is packed; an outcome pair (a prompt, two whole answers) is not, which also halves its
   * attention's memory.
   */
  static boolean sharingSaves(TrainingPair p) {
    long prefix = p.prefix().length;
    return prefix * prefix >= 2L * p.chosen().length * p.rejected().length;
  }

  /**
   * Consecutive groups whose padded size (rows × the longest row of the forward pass) is at most
   * {@code maxTokens}; a pair longer than that alone. A group holds pairs of one path only.
   * {@code maxTokens} 0: each run of consecutive pairs of one path in one group.
   *
   * @param sharing whether a pair may be packed (then it is where {@link #sharingSaves} says so)
   */
  static List<Group> split(List<TrainingPair> batch, int maxTokens, boolean sharing) {
    List<Group> groups = new ArrayList<>();
    List<TrainingPair> group = new ArrayList<>();
    boolean groupShared = false;
    int longest = 0;
    for (TrainingPair p : batch) {
      boolean shared = sharing && sharingSaves(p);
      int rows = shared ? 1 : 2;
      int len = shared
          ? p.prefix().length + p.chosen().length + p.rejected().length
          : p.prefix().length + Math.max(p.chosen().length, p.rejected().length);
      int wider = Math.max(longest, len);
      boolean full = maxTokens > 0 && (long) (group.size() + 1) * rows * wider > maxTokens;
      if (!group.isEmpty() && (full || shared != groupShared)) {
        groups.add(new Group(List.copyOf(group), groupShared));
        group.clear();
        wider = len;
      }
      group.add(p);
      groupShared = shared;
      longest = wider;
    }
    groups.add(new Group(List.copyOf(group), groupShared));
    return List.copyOf(groups);
  }
}
