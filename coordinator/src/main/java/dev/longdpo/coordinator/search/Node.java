package dev.longdpo.coordinator.search;

import dev.longdpo.protocol.search.StepSample;
import dev.longdpo.protocol.search.StepScore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A node of a search tree: the prefix after one more step. Holds its visit count and the sum of
 * values backed up through it; its mean value (Q) is what commits compare.
 */
final class Node {

  final String key;
  Node parent;
  final int depth;
  final int[] tokens;
  final String response;
  final StepSample step;
  StepScore score;
  double prior;
  boolean vetoed;
  boolean terminal;
  int visits;
  double valueSum;
  List<Node> children;

  /** A root: the prompt, or a committed prefix. */
  Node(String key, int[] tokens) {
    this.key = key;
    this.parent = null;
    this.depth = 0;
    this.tokens = tokens;
    this.response = "";
    this.step = null;
  }

  /** A child reached by {@code step}. */
  Node(Node parent, StepSample step) {
    this.key = step.childKey();
    this.parent = parent;
    this.depth = parent.depth + 1;
    int[] t = Arrays.copyOf(parent.tokens, parent.tokens.length + step.tokens().length);
    System.arraycopy(step.tokens(), 0, t, parent.tokens.length, step.tokens().length);
    this.tokens = t;
    this.response = parent.response + step.text();
    this.step = step;
  }

  boolean expanded() {
    return children != null;
  }

  /** Mean backed-up value; the judge's value while unvisited. */
  double q() {
    return visits == 0 ? score.value() : valueSum / visits;
  }

  List<Node> validChildren() {
    List<Node> out = new ArrayList<>();
    if (children != null) {
      for (Node c : children) {
        if (!c.vetoed) {
          out.add(c);
        }
      }
    }
    return out;
  }

  /** Adds {@code count} visits worth {@code sum} to this node and every ancestor. */
  void backup(double sum, int count) {
    for (Node n = this; n != null; n = n.parent) {
      n.visits += count;
      n.valueSum += sum;
    }
  }

  @Override
  public String toString() {
    return "Node[" + key + ", q=" + (score == null ? "?" : String.format("%.2f", q())) + ", n=" + visits + "]";
  }
}
