package dev.longdpo.protocol.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;

/**
 * Messages and bytes through one of our serializers, each way: Pekko serializes only what leaves
 * or enters the node (and what a test asks it to), so these count the node's own traffic.
 * Recorded on Micrometer's global registry (a node's Prometheus registry backs it).
 */
final class WireMeters {

  private final Counter messagesOut;
  private final Counter bytesOut;
  private final Counter messagesIn;
  private final Counter bytesIn;

  /** The meters of serializer {@code name} (proto, kryo). */
  WireMeters(String name) {
    messagesOut = Metrics.counter("longdpo.serialized.messages", "serializer", name, "direction", "out");
    bytesOut = Metrics.counter("longdpo.serialized.bytes", "serializer", name, "direction", "out");
    messagesIn = Metrics.counter("longdpo.serialized.messages", "serializer", name, "direction", "in");
    bytesIn = Metrics.counter("longdpo.serialized.bytes", "serializer", name, "direction", "in");
  }

  void written(int bytes) {
    messagesOut.increment();
    bytesOut.increment(bytes);
  }

  void read(int bytes) {
    messagesIn.increment();
    bytesIn.increment(bytes);
  }
}
