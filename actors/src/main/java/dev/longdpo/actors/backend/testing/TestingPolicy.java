package dev.longdpo.actors.backend.testing;

import dev.longdpo.actors.backend.Policy;
import dev.longdpo.actors.backend.PolicyStats;
import dev.longdpo.protocol.search.ExpandJob;
import dev.longdpo.protocol.search.StepSample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A scripted policy: each sample is a short sentence determined by the job's seed, and the answer
 * may end once a node is {@code minDepth} steps deep (sample 0 always ends there). Counts prefix
 * tokens as served from a cache when the node was created by an earlier expansion, like the model
 * policy.
 */
public final class TestingPolicy implements Policy {

  private final int minDepth;
  private final int stepTokens;
  private final Map<String, Integer> known = new HashMap<>();
  private final Map<String, Integer> nextChild = new HashMap<>();
  private long batches;
  private long expansions;
  private long samples;
  private long prefixTokens;
  private long prefixTokensCached;

  /**
   * @param minDepth depth at which answers may end
   * @param stepTokens tokens per sampled step
   */
  public TestingPolicy(int minDepth, int stepTokens) {
    this.minDepth = minDepth;
    this.stepTokens = stepTokens;
  }

  @Override
  public List<List<StepSample>> expand(List<ExpandJob> jobs) {
    batches++;
    List<List<StepSample>> out = new ArrayList<>();
    for (ExpandJob job : jobs) {
      expansions++;
      prefixTokens += job.tokens().length;
      if (known.containsKey(job.nodeKey())) {
        prefixTokensCached += job.tokens().length - 1;
      }
      int depth = depthOf(job.nodeKey()) + 1;
      List<StepSample> mine = new ArrayList<>();
      for (int i = 0; i < job.count(); i++) {
        SplittableRandom r = new SplittableRandom(job.seed() * 31 + i);
        int[] tokens = new int[stepTokens];
        for (int t = 0; t < stepTokens; t++) {
          tokens[t] = 10 + r.nextInt(500);
        }
        boolean ends = depth >= minDepth && (i == 0 || r.nextInt(3) == 0);
        String text = " Step " + depth + " choice " + r.nextInt(1000) + " of " + job.treeId() + "."
            + (ends ? "" : "\n\n");
        int n = nextChild.merge(job.nodeKey(), 1, Integer::sum) - 1;
        String key = job.nodeKey() + "." + n;
        known.put(key, depth);
        mine.add(new StepSample(tokens, text, ends, -1.0 - r.nextDouble() * stepTokens, key));
        samples++;
      }
      out.add(mine);
    }
    return out;
  }

  private static int depthOf(String nodeKey) {
    int at = nodeKey.indexOf("/r");
    int depth = 0;
    for (int i = at + 2; i < nodeKey.length(); i++) {
      if (nodeKey.charAt(i) == '.') {
        depth++;
      }
    }
    return depth;
  }

  @Override
  public void forget(String treeId) {
    known.keySet().removeIf(k -> k.startsWith(treeId + "/"));
    nextChild.keySet().removeIf(k -> k.startsWith(treeId + "/"));
  }

  @Override
  public PolicyStats stats() {
    return new PolicyStats(batches, expansions, samples, samples * stepTokens, prefixTokens, prefixTokensCached, 0, 0);
  }
}
