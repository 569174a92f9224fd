package dev.longdpo.actors.host;

import java.util.Optional;
import java.util.stream.StreamSupport;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;

/** Where things run in a cluster, as a node's view of the members says. */
public final class ClusterMembers {

  private ClusterMembers() {}

  /**
   * The node that holds the run manager: a cluster singleton runs on the oldest Up member with its
   * role ({@code coordinator}).
   */
  public static Optional<Member> managerNode(ClusterEvent.CurrentClusterState state) {
    return StreamSupport.stream(state.getMembers().spliterator(), false)
        .filter(m -> m.hasRole("coordinator") && m.status().equals(MemberStatus.up()))
        .min(Member.ageOrdering());
  }
}
