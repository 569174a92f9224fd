package dev.longdpo.cli.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A local cluster has every role, and of three nodes any one may be lost. */
class ClusterLocalRolesTest {

  private static long count(int nodes, String role) {
    return IntStream.range(0, nodes).filter(i -> ClusterLocalCommand.roles(i, nodes).contains(role)).count();
  }

  @Test
  void oneNodeHoldsEveryRole() {
    assertThat(ClusterLocalCommand.roles(0, 1)).containsExactly("coordinator", "search", "trainer", "evaluator");
  }

  @Test
  void threeNodesHaveTwoOfEachRoleAtLeast() {
    for (String role : List.of("coordinator", "search", "trainer", "evaluator")) {
      assertThat(count(3, role)).as(role).isGreaterThanOrEqualTo(2);
    }
    assertThat(count(2, "coordinator")).isEqualTo(1);
    assertThat(count(5, "trainer")).isEqualTo(5);
    assertThat(count(5, "evaluator")).isEqualTo(2);
  }
}
