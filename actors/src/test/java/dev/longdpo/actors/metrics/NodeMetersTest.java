package dev.longdpo.actors.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Gauges that the search nodes of one JVM hold together. */
class NodeMetersTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeEach
  void attach() {
    Metrics.addRegistry(registry);
  }

  @AfterEach
  void detach() {
    Metrics.removeRegistry(registry);
  }

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  @Test
  void aSummedGaugeReadsEveryHoldersPartUntilItStops() {
    Object first = new Object();
    Object second = new Object();
    NodeMeters.setPart("test.summed.bytes", first, 100);
    NodeMeters.setPart("test.summed.bytes", second, 40);
    assertThat(gauge("test.summed.bytes")).isEqualTo(140);
    NodeMeters.setPart("test.summed.bytes", first, 10); // a holder's part is its last value
    assertThat(gauge("test.summed.bytes")).isEqualTo(50);
    NodeMeters.removeParts(second);
    assertThat(gauge("test.summed.bytes")).isEqualTo(10);
  }

  @Test
  void aShareGaugeIsTheShareOverAllHolders() {
    Object first = new Object();
    Object second = new Object();
    NodeMeters.setShare("test.summed.share", first, 9, 10);
    NodeMeters.setShare("test.summed.share", second, 1, 30);
    assertThat(gauge("test.summed.share")).isCloseTo(10.0 / 40, within(1e-12)); // not the mean of 0.9 and 0.03
    NodeMeters.removeParts(first);
    NodeMeters.removeParts(second);
    assertThat(gauge("test.summed.share")).isZero();
  }
}
