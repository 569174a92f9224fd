package dev.longdpo.actors.metrics;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.longdpo.protocol.cluster.NodeStatsProtocol;
import dev.longdpo.protocol.cluster.NodeStatsProtocol.Snapshot;
import dev.longdpo.protocol.control.NodeTop;
import dev.longdpo.protocol.control.TopReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * A node's view of every node: publishes this node's snapshot ({@link NodeSnapshots}) on the
 * cluster-wide topic every second and keeps the latest one of each node, so that it answers
 * {@code ctl top} for the whole cluster. A member's status and reachability come from this
 * node's view of the cluster; a member that left is dropped with its snapshot.
 */
public final class NodeStats extends AbstractBehavior<NodeStatsProtocol.Command> {

  private enum Tick implements NodeStatsProtocol.Command { INSTANCE }

  private record Received(Snapshot snapshot, long atNanos) {}

  private final NodeSnapshots own;
  private final ActorRef<Topic.Command<Snapshot>> topic;
  private final Map<String, Received> latest = new HashMap<>();

  /** The node's stats, published every {@code every}. */
  public static Behavior<NodeStatsProtocol.Command> create(String address, List<String> roles, Duration every) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, every);
      return new NodeStats(ctx, address, roles);
    }));
  }

  private NodeStats(ActorContext<NodeStatsProtocol.Command> ctx, String address, List<String> roles) {
    super(ctx);
    this.own = new NodeSnapshots(address, roles);
    this.topic = ctx.spawn(Topic.create(Snapshot.class, NodeStatsProtocol.TOPIC), "topic");
    topic.tell(Topic.subscribe(ctx.getSelf().narrow()));
  }

  @Override
  public Receive<NodeStatsProtocol.Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Tick.INSTANCE, () -> {
          topic.tell(Topic.publish(new Snapshot(ownAddress(), own.take().toByteArray())));
          return this;
        })
        .onMessage(Snapshot.class, s -> {
          latest.put(s.address(), new Received(s, System.nanoTime()));
          return this;
        })
        .onMessage(NodeStatsProtocol.GetTop.class, g -> {
          g.replyTo().tell(top().toByteArray());
          return this;
        })
        .build();
  }

  private String ownAddress() {
    return Cluster.get(getContext().getSystem()).selfMember().address().toString();
  }

  /** Every member, oldest first, with its latest snapshot. */
  private TopReply top() {
    var state = Cluster.get(getContext().getSystem()).state();
    Set<Member> unreachable = new HashSet<>();
    state.getUnreachable().forEach(unreachable::add);
    List<Member> members = new ArrayList<>();
    state.getMembers().forEach(members::add);
    members.sort(Member.ageOrdering());
    TopReply.Builder out = TopReply.newBuilder();
    Set<String> present = new HashSet<>();
    for (Member m : members) {
      String address = m.address().toString();
      present.add(address);
      NodeTop.Builder n = NodeTop.newBuilder().setAddress(address)
          .setAgeMs(-1);
      Received r = latest.get(address);
      if (r != null) {
        try {
          n.mergeFrom(r.snapshot().nodeTop());
          n.setAgeMs((System.nanoTime() - r.atNanos()) / 1_000_000);
        } catch (InvalidProtocolBufferException e) {
          getContext().getLog().warn("unreadable snapshot from {}: {}", address, e.getMessage());
        }
      }
      if (n.getRolesCount() == 0) {
        m.getRoles().stream().filter(role -> !role.startsWith("dc-")).sorted().forEach(n::addRoles);
      }
      out.addNodes(n.setStatus(m.status().toString()).setReachable(!unreachable.contains(m)));
    }
    latest.keySet().retainAll(present);
    return out.build();
  }
}
