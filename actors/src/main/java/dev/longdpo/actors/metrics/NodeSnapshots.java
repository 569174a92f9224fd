package dev.longdpo.actors.metrics;

import dev.longdpo.model.runtime.ProcessMemory;
import dev.longdpo.protocol.control.NodeTop;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds this node's {@link NodeTop}: up time, CPU, load, heap, resident memory, and the rates
 * of its role's main counters since the previous snapshot (expansions, sampled tokens, pairs,
 * judge calls, each variant's trainer steps, evaluation tasks), read from the node's meters.
 * Confined to one thread (the node-stats actor).
 */
final class NodeSnapshots {

  /** Counter (or timer count) names and how a rate of theirs is shown. */
  private static final Map<String, String> RATES = Map.of(
      "longdpo.search.expansions", "expansions",
      "longdpo.search.sampled.tokens", "sampled tokens",
      "longdpo.search.pairs", "pairs",
      "longdpo.judge.calls", "judge calls",
      "longdpo.train.steps", "steps",
      "longdpo.eval.tasks", "eval tasks");

  private final String address;
  private final List<String> roles;
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private Map<String, Double> previous = Map.of();
  private long previousNanos = System.nanoTime();

  NodeSnapshots(String address, List<String> roles) {
    this.address = address;
    this.roles = List.copyOf(roles);
  }

  /** The node now, with the rates since the last call. */
  NodeTop take() {
    long now = System.nanoTime();
    double seconds = Math.max(1e-3, (now - previousNanos) / 1e9);
    Map<String, Double> totals = totals();
    NodeTop.Builder b = NodeTop.newBuilder().setAddress(address).addAllRoles(roles)
        .setUptimeSeconds(ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0)
        .setProcessCpu(processCpu()).setSystemLoad(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage())
        .setHeapUsedBytes(memory.getHeapMemoryUsage().getUsed()).setHeapMaxBytes(memory.getHeapMemoryUsage().getMax())
        .setResidentBytes(ProcessMemory.residentBytes());
    for (Map.Entry<String, Double> e : totals.entrySet()) {
      double before = previous.getOrDefault(e.getKey(), e.getValue());
      b.putRates(e.getKey(), Math.max(0, e.getValue() - before) / seconds);
    }
    previous = totals;
    previousNanos = now;
    return b.build();
  }

  /** Each rate's counter total now, by its shown name (per variant for trainer steps). */
  private static Map<String, Double> totals() {
    Map<String, Double> out = new HashMap<>();
    for (Meter m : Metrics.globalRegistry.getMeters()) {
      String shown = RATES.get(m.getId().getName());
      if (shown == null) {
        continue;
      }
      String variant = m.getId().getTag("variant");
      String key = variant == null ? shown : shown + " " + variant;
      double count = m instanceof Counter c ? c.count() : m instanceof Timer t ? t.count() : 0;
      out.merge(key, count, Double::sum);
    }
    return out;
  }

  private static double processCpu() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return Math.max(0, os.getProcessCpuLoad());
    }
    return Double.NaN;
  }
}
