package dev.longdpo.coordinator.search;

import java.util.List;

/**
 * PUCT selection as OpenR computes it: {@code Q(child) + c(N)·P(child)·√N / (1 + n(child))} with
 * {@code c(N) = ln((N + c_base + 1) / c_base) + c_init}, N the parent's visits and P the prior.
 */
final class Puct {

  private Puct() {}

  /** The exploration coefficient for a parent with {@code visits} visits. */
  static double c(double cBase, double cInit, int visits) {
    return Math.log((visits + cBase + 1) / cBase) + cInit;
  }

  /** A child's selection score. */
  static double score(Node parent, Node child, double cBase, double cInit) {
    double u = c(cBase, cInit, parent.visits) * child.prior * Math.sqrt(parent.visits) / (1 + child.visits);
    return child.q() + u;
  }

  /** The best-scoring child (first on ties), or null when there is none. */
  static Node select(Node parent, List<Node> children, double cBase, double cInit) {
    Node best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (Node c : children) {
      double s = score(parent, c, cBase, cInit);
      if (s > bestScore) {
        bestScore = s;
        best = c;
      }
    }
    return best;
  }

  /** Priors from mean token log-probs: exp(mean), normalized over the siblings. */
  static void setPriors(List<Node> siblings) {
    double max = Double.NEGATIVE_INFINITY;
    for (Node n : siblings) {
      max = Math.max(max, n.step.meanLogProb());
    }
    double sum = 0;
    for (Node n : siblings) {
      sum += Math.exp(n.step.meanLogProb() - max);
    }
    for (Node n : siblings) {
      n.prior = Math.exp(n.step.meanLogProb() - max) / sum;
    }
  }
}
