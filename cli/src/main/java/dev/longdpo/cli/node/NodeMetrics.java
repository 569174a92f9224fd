package dev.longdpo.cli.node;

import dev.longdpo.actors.host.ClusterMembers;
import dev.longdpo.model.runtime.ProcessMemory;
import dev.longdpo.model.train.GradientLock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * A node's meter registry (one per node JVM), in Prometheus' text format: the JVM and the process
 * (heap and non-heap, GC pauses, threads, CPU, load, resident memory), the cluster as this node
 * sees it (members by status, unreachable members, whether the run manager's singleton is here),
 * the training lock's waits, and every meter the node's actors record ({@code NodeMeters}: it is
 * added to Micrometer's global registry, which they use).
 */
final class NodeMetrics {

  private static final List<MemberStatus> STATUSES = List.of(MemberStatus.joining(), MemberStatus.weaklyUp(),
      MemberStatus.up(), MemberStatus.leaving(), MemberStatus.exiting(), MemberStatus.down());

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /** Binds the node's meters; {@code roles} label the node. */
  NodeMetrics(ActorSystem<?> system, List<String> roles) {
    registry.config().commonTags("roles", String.join(",", roles));
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    Gauge.builder("longdpo.process.resident.memory", ProcessMemory::residentBytes).baseUnit("bytes")
        .description("resident set size of this node's process (native memory included)").register(registry);
    FunctionCounter.builder("longdpo.train.lock.wait", GradientLock.class, c -> GradientLock.waitedMillis() / 1000.0)
        .baseUnit("seconds").description("time training steps waited for the JVM's training lock").register(registry);
    Cluster cluster = Cluster.get(system);
    for (MemberStatus status : STATUSES) {
      Gauge.builder("longdpo.cluster.members", cluster, c -> count(c, status))
          .tag("status", status.toString().toLowerCase(java.util.Locale.ROOT))
          .description("cluster members by status, as this node sees them").register(registry);
    }
    Gauge.builder("longdpo.cluster.unreachable", cluster, c -> c.state().getUnreachable().size())
        .description("members this node sees as unreachable").register(registry);
    Gauge.builder("longdpo.cluster.singleton.here", cluster, NodeMetrics::singletonHere)
        .description("1 when the run manager runs on this node")
        .register(registry);
    Metrics.addRegistry(registry);
  }

  /** The registry's text for a scrape. */
  String scrape() {
    return registry.scrape();
  }

  private static double count(Cluster c, MemberStatus status) {
    return StreamSupport.stream(c.state().getMembers().spliterator(), false).filter(m -> m.status().equals(status))
        .count();
  }

  private static double singletonHere(Cluster c) {
    return ClusterMembers.managerNode(c.state()).filter(m -> m.equals(c.selfMember())).isPresent() ? 1 : 0;
  }
}
