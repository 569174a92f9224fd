package dev.longdpo.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rendezvous hashing spreads trees evenly and moves only a lost node's trees. */
class RendezvousHashTest {

  private static final List<String> NODES = List.of(
      "pekko://longdpo@127.0.0.1:2551/user/search-node-0", "pekko://longdpo@127.0.0.1:2552/user/search-node-0",
      "pekko://longdpo@127.0.0.1:2553/user/search-node-0");

  private static String owner(String tree, List<String> nodes) {
    String best = null;
    long bestWeight = 0;
    for (String n : nodes) {
      long w = RendezvousHash.weight(tree, n);
      if (best == null || Long.compareUnsigned(w, bestWeight) > 0) {
        best = n;
        bestWeight = w;
      }
    }
    return best;
  }

  @Test
  void losingANodeMovesOnlyItsTrees() {
    List<String> survivors = List.of(NODES.get(0), NODES.get(2));
    Map<String, Integer> share = new HashMap<>();
    int moved = 0;
    for (int i = 0; i < 3000; i++) {
      String tree = "w" + i;
      String before = owner(tree, NODES);
      String after = owner(tree, survivors);
      share.merge(before, 1, Integer::sum);
      if (!before.equals(NODES.get(1))) {
        assertThat(after).as("tree %s of a surviving node stays", tree).isEqualTo(before);
      } else {
        moved++;
      }
    }
    assertThat(moved).isEqualTo(share.get(NODES.get(1)));
    // An even spread: a third each, give or take 10% of 3000 trees.
    for (String n : NODES) {
      assertThat(share.get(n)).as("trees of %s", n).isBetween(900, 1100);
    }
  }

  @Test
  void keyAndNodeAreSeparated() {
    assertThat(RendezvousHash.weight("ab", "c")).isNotEqualTo(RendezvousHash.weight("a", "bc"));
  }
}
