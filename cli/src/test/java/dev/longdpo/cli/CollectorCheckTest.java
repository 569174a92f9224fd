package dev.longdpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CollectorCheckTest {

  @Test
  void g1IsNamedWithTheWayOut() {
    assertThat(CollectorCheck.warning(List.of("G1 Young Generation", "G1 Old Generation", "G1 Concurrent GC")))
        .hasValueSatisfying(w -> assertThat(w).contains("G1").contains("-XX:+UseParallelGC"));
  }

  @Test
  void theParallelAndSerialCollectorsPass() {
    assertThat(CollectorCheck.warning(List.of("PS Scavenge", "PS MarkSweep"))).isEmpty();
    assertThat(CollectorCheck.warning(List.of("Copy", "MarkSweepCompact"))).isEmpty();
  }

  @Test
  void theTestsThemselvesRunOnTheParallelCollector() {
    // The build's argLine says so; the bits the tests compare depend on it.
    assertThat(CollectorCheck.warning()).isEmpty();
  }
}
