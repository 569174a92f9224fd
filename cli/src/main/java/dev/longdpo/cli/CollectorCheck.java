package dev.longdpo.cli;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;

/**
 * Warns when the JVM runs the G1 collector (the JDK's default). With G1, about one backward pass
 * in 1,000 to 2,000 came out wrong on the machines this project is measured on, and a run parted
 * from an identical one there: a tiny replay beside a CPU load differed in 12 of 48 runs under G1,
 * in 0 of 56 under the Parallel or Serial collector (docs/reproducibility.md). {@code
 * ./longdpo}, the tests and the JVMs the tests start use {@code -XX:+UseParallelGC}; someone who
 * starts the jar another way is told.
 */
final class CollectorCheck {

  private CollectorCheck() {}

  /** The warning to print, if this JVM runs G1. */
  static Optional<String> warning() {
    return warning(ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).toList());
  }

  static Optional<String> warning(List<String> collectors) {
    if (collectors.stream().anyMatch(n -> n.startsWith("G1"))) {
      return Optional.of("longdpo: this JVM runs the G1 garbage collector, under which training is not"
          + " bit-reproducible (docs/reproducibility.md); start it with -XX:+UseParallelGC, as ./longdpo does");
    }
    return Optional.empty();
  }
}
