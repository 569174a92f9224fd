package dev.longdpo.testbed.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.longdpo.testbed.task.InstructionType;
import dev.longdpo.testbed.task.SectionInstruction;
import dev.longdpo.testbed.task.SectionSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class SectionMetricsTest {

  static final SectionSpec SPEC =
      new SectionSpec("Week", 4, List.of(
          new SectionInstruction(InstructionType.SINGLE, 2, 2, 1, "a parade"),
          new SectionInstruction(InstructionType.RANGE, 3, 4, 1, "fresh bread")));

  @Test
  void countsBlocksAndChecksOfOneOutput() {
    String out = "Week 1: It rained.\n\nWeek 2: This week I saw a parade.\n\nWeek 4: This week I saw fresh bread.";
    SectionMetrics.Counts c = SectionMetrics.count(SPEC, out);
    assertThat(c.cr()).isCloseTo(75, within(1e-9));
    assertThat(c.checks()).isEqualTo(3);
    assertThat(c.checksOnPresent()).isEqualTo(2);
    assertThat(c.satisfied()).isEqualTo(2);
  }

  @Test
  void summarizesLikeLongGenBench() {
    SectionMetrics.Counts full = SectionMetrics.count(SPEC,
        "Week 1: A.\n\nWeek 2: a parade.\n\nWeek 3: nothing.\n\nWeek 4: fresh bread.");
    SectionMetrics.Counts partial = SectionMetrics.count(SPEC, "Week 1: A.\n\nWeek 2: a parade.");
    SectionMetrics.Summary s = SectionMetrics.summarize(List.of(full, partial));
    assertThat(s.cr()).isCloseTo((100 + 50) / 2.0, within(1e-9));
    // yes: 2 + 1 = 3; checks on present blocks: 3 + 1 = 4; all checks: 3 + 3 = 6.
    assertThat(s.stic1()).isCloseTo(75, within(1e-9));
    assertThat(s.stic2()).isCloseTo(50, within(1e-9));
    assertThat(s.stic2()).isLessThanOrEqualTo(s.stic1());
  }

  @Test
  void anEmptyOutputHasNothing() {
    SectionMetrics.Counts c = SectionMetrics.count(SPEC, "");
    assertThat(c.cr()).isZero();
    assertThat(SectionMetrics.summarize(List.of(c)).stic1()).isZero();
  }
}
