package dev.longdpo.protocol.cluster;

import dev.longdpo.protocol.KryoMessage;
import java.util.Arrays;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Every node publishes a compact snapshot of itself every second on a cluster-wide topic, and
 * keeps the latest of every node's, so any node can answer for all ({@code ctl top}).
 */
public interface NodeStatsProtocol {

  /** The topic's name. */
  String TOPIC = "longdpo-node-stats";

  /** What the node-stats actor accepts. */
  interface Command {}

  /**
   * One node's snapshot.
   *
   * @param address the node's cluster address
   * @param nodeTop a {@code NodeTop} message (control.proto), serialized: the node's roles,
   *     up time, CPU, heap, resident memory and its role's rates
   */
  record Snapshot(String address, byte[] nodeTop) implements Command, KryoMessage {
    @Override
    public boolean equals(Object o) {
      return o instanceof Snapshot s && address.equals(s.address) && Arrays.equals(nodeTop, s.nodeTop);
    }

    @Override
    public int hashCode() {
      return 31 * address.hashCode() + Arrays.hashCode(nodeTop);
    }

    @Override
    public String toString() {
      return "Snapshot[" + address + ", " + nodeTop.length + " bytes]";
    }
  }

  /**
   * Every member as this node sees it, with its latest snapshot ({@code TopReply}'s nodes,
   * serialized). Local only.
   */
  record GetTop(ActorRef<byte[]> replyTo) implements Command {}
}
