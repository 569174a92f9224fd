package dev.longdpo.coordinator.cluster;

import dev.longdpo.protocol.control.EvaluationStatus;
import dev.longdpo.protocol.control.FailedPrompt;
import dev.longdpo.protocol.control.NodeInfo;
import dev.longdpo.protocol.control.Phase;
import dev.longdpo.protocol.control.RunStatus;
import dev.longdpo.protocol.coordinator.CoordinatorProtocol;
import java.util.List;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;

/** A run's {@link RunStatus}: its phase and counts, and the cluster's nodes as the manager sees them. */
public final class RunStatusView {

  private RunStatusView() {}

  static RunStatus of(ManagedRun r, CoordinatorProtocol.RunProgress progress, ClusterEvent.CurrentClusterState cluster,
      List<String> hostProblems) {
    int total = r.promptsTotal;
    RunStatus.Builder b = RunStatus.newBuilder()
        .setRunId(r.id())
        .setPhase(Phase.valueOf(r.state.phase()))
        .setReason(reason(r, hostProblems))
        .setPromptsTotal(total)
        .setDirectory(r.dir.toString())
        .setBaseSha256(r.state.baseSha256())
        .setSubmittedEpochMs(r.submitted.submittedEpochMs())
        .setTreesRerun(r.rerouted)
        .setPaused(r.paused);
    int done = progress != null ? progress.completed() : r.done;
    long pairs = progress != null ? progress.pairs() : r.pairs;
    int inFlight = progress != null ? progress.inFlight() : 0;
    int failed = r.failed.size();
    b.setPromptsDone(done).setPairsWritten(pairs).setPromptsInFlight(inFlight).setPromptsFailed(failed)
        .setPromptsLeft(Math.max(0, total - done - failed - inFlight));
    for (ClusterRunFiles.Failed f : r.failed.values()) {
      b.addFailed(FailedPrompt.newBuilder().setPromptId(f.promptId()).setAttempts(f.attempts()).setReason(f.reason()));
    }
    for (ClusterRunFiles.Evaluated e : r.evaluations) {
      b.addEvaluations(EvaluationStatus.newBuilder().setVariant(e.variant()).setCheckpoint(e.checkpoint())
          .setStep(e.step()).setWeightsSha256(e.weightsSha256()).setSl(e.sl()).setSq(e.sq()).setRecord(e.record())
          .setNode(e.node()));
    }
    b.addAllNodes(nodes(cluster));
    return b.build();
  }

  /** The members, with their roles (cluster roles only) and reachability. */
  public static List<NodeInfo> nodes(ClusterEvent.CurrentClusterState cluster) {
    java.util.Set<Member> unreachable = new java.util.HashSet<>();
    cluster.getUnreachable().forEach(unreachable::add);
    java.util.List<NodeInfo> out = new java.util.ArrayList<>();
    for (Member m : cluster.getMembers()) {
      NodeInfo.Builder n = NodeInfo.newBuilder()
          .setAddress(m.address().toString())
          .setStatus(m.status().toString())
          .setReachable(!unreachable.contains(m));
      m.getRoles().stream().filter(role -> !role.startsWith("dc-")).sorted().forEach(n::addRoles);
      out.add(n.build());
    }
    return out;
  }

  private static String reason(ManagedRun r, List<String> hostProblems) {
    if (!r.isTerminal() && !r.activity.isEmpty()) {
      return r.activity;
    }
    if (!r.state.reason().isEmpty() || hostProblems.isEmpty()) {
      return r.state.reason();
    }
    return String.join("; ", hostProblems);
  }

}
