package dev.longdpo.protocol.search;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Sample {@code count} next steps after a tree node. Holds an array (the prefix ids), so equality
 * is written out.
 *
 * @param treeId the tree (prompt) the node belongs to; routes the job to one search node
 * @param nodeKey the node, unique within the run ({@code treeId/0.2.1}); its children are
 *     {@code nodeKey.i}, and a search node caches each child's key/value state under that key
 * @param tokens the node's full prefix ids: prompt plus the steps to it
 * @param count how many steps to sample
 * @param seed seeds the samplers (each sample derives its own)
 * @param decoding how to sample
 * @param guidance critique suggestions to enforce while decoding (empty for a plain expansion)
 */
public record ExpandJob(
    String treeId, String nodeKey, int[] tokens, int count, long seed, StepDecoding decoding, List<Guidance> guidance) {

  /** Copies the guidance. */
  public ExpandJob {
    guidance = List.copyOf(guidance);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExpandJob j
        && treeId.equals(j.treeId) && nodeKey.equals(j.nodeKey) && Arrays.equals(tokens, j.tokens)
        && count == j.count && seed == j.seed && decoding.equals(j.decoding) && guidance.equals(j.guidance);
  }

  @Override
  public int hashCode() {
    return Objects.hash(treeId, nodeKey, Arrays.hashCode(tokens), count, seed, decoding, guidance);
  }

  @Override
  public String toString() {
    return "ExpandJob[" + nodeKey + ", " + tokens.length + " tokens, count " + count + "]";
  }
}
