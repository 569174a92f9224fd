package dev.longdpo.actors.host;

import dev.longdpo.actors.ActorsSettings;
import dev.longdpo.actors.Workers;
import dev.longdpo.actors.backend.Policy;
import dev.longdpo.actors.backend.TestbedCritic;
import dev.longdpo.actors.backend.TestbedJudge;
import dev.longdpo.actors.backend.testing.TestingJudge;
import dev.longdpo.actors.backend.testing.TestingPolicy;
import dev.longdpo.actors.searchnode.SearchNode;
import dev.longdpo.protocol.cluster.SearchHostProtocol;
import dev.longdpo.protocol.search.WorkerKeys;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * The search side of a {@code search} node: starts the active run's workers when the run manager
 * asks (a search node over the run's policy, reward and critic actors, under the run's keys) and
 * stops them when the run ends or another one starts. One run's workers at a time.
 *
 * <p>Before it starts anything it checks that it sees the run root the manager sees: the
 * manager's marker token must be the one in this node's {@code <run-root>/.longdpo-root}.
 */
public final class SearchHost extends AbstractBehavior<SearchHostProtocol.Command> {

  /**
   * A fault-injection hook for tests: in run {@code runId}, this node's search node stops answering
   * after {@code holdAfterExpansions} requests and writes {@code <run-root>/hooks/<run>.search-held}.
   */
  public record Hooks(String runId, int holdAfterExpansions) {
    /** No hooks. */
    public static final Hooks NONE = new Hooks("", 0);
  }

  /**
   * The node is leaving (SIGTERM): stop the workers now, so that the receptionist drops them and
   * the trees waiting on them move to other nodes before this one is gone; then answer.
   */
  public record Leave(ActorRef<Done> replyTo) implements SearchHostProtocol.Command {}

  private final Path runRoot;
  private final String nodeName;
  private final ActorsSettings settings;
  private final Hooks hooks;
  private final ModelCache models;
  private String activeRun;
  private ActorRef<Void> workers;
  private boolean leaving;

  /**
   * @param runRoot this node's view of the shared run root
   * @param nodeName how replies name this node (its cluster address)
   */
  public static Behavior<SearchHostProtocol.Command> create(
      Path runRoot, String nodeName, ActorsSettings settings, Hooks hooks) {
    return Behaviors.setup(ctx -> new SearchHost(ctx, runRoot, nodeName, settings, hooks));
  }

  private SearchHost(
      ActorContext<SearchHostProtocol.Command> ctx, Path runRoot, String nodeName, ActorsSettings settings, Hooks hooks) {
    super(ctx);
    this.runRoot = runRoot;
    this.nodeName = nodeName;
    this.settings = settings;
    this.hooks = hooks;
    this.models = new ModelCache();
    ctx.getSystem().receptionist().tell(Receptionist.register(SearchHostProtocol.KEY, ctx.getSelf()));
  }

  @Override
  public Receive<SearchHostProtocol.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(SearchHostProtocol.Activate.class, this::onActivate)
        .onMessage(SearchHostProtocol.Deactivate.class, this::onDeactivate)
        .onMessage(Leave.class, l -> {
          stopWorkers();
          leaving = true;
          l.replyTo().tell(Done.getInstance());
          return this;
        })
        .build();
  }

  private Behavior<SearchHostProtocol.Command> onActivate(SearchHostProtocol.Activate a) {
    if (a.runId().equals(activeRun)) {
      a.replyTo().tell(new SearchHostProtocol.HostReply(a.runId(), nodeName, true, ""));
      return this;
    }
    if (leaving) {
      a.replyTo().tell(new SearchHostProtocol.HostReply(a.runId(), nodeName, false, nodeName + ": leaving the cluster"));
      return this;
    }
    String refused = RunRootMarker.check(runRoot, a.rootToken(), nodeName);
    if (refused != null) {
      getContext().getLog().error("{}", refused);
      a.replyTo().tell(new SearchHostProtocol.HostReply(a.runId(), nodeName, false, refused));
      return this;
    }
    stopWorkers();
    try {
      Workers.Spec spec = spec(a.backend(), Path.of(a.runDir()));
      SearchNode.Hold hold = hold(a.runId());
      workers = getContext().spawn(
          Workers.create(spec, settings, WorkerKeys.forRun(a.runId()), hold), "run-" + ActorNames.safe(a.runId()));
      activeRun = a.runId();
      getContext().getLog().info("run {}: workers started ({})", a.runId(), a.backend());
      a.replyTo().tell(new SearchHostProtocol.HostReply(a.runId(), nodeName, true, ""));
    } catch (RuntimeException e) {
      String reason = nodeName + ": cannot start the workers of run " + a.runId() + ": " + e.getMessage();
      getContext().getLog().error("{}", reason, e);
      a.replyTo().tell(new SearchHostProtocol.HostReply(a.runId(), nodeName, false, reason));
    }
    return this;
  }

  private Behavior<SearchHostProtocol.Command> onDeactivate(SearchHostProtocol.Deactivate d) {
    if (d.runId().equals(activeRun)) {
      stopWorkers();
    }
    return this;
  }

  private void stopWorkers() {
    if (workers != null) {
      getContext().stop(workers);
      getContext().getLog().info("run {}: workers stopped", activeRun);
      workers = null;
      activeRun = null;
    }
  }

  private Workers.Spec spec(String backend, Path runDir) {
    switch (backend) {
      case "testing":
        return new Workers.Spec(List.of(() -> new TestingPolicy(3, 6)), 2, TestingJudge::new, 1, TestbedCritic::new);
      case "model":
        // Each search node loads its own copy: a model serves one batch at a time.
        List<Supplier<Policy>> policies = new ArrayList<>();
        for (int i = 0; i < settings.searchNodes(); i++) {
          policies.add(() -> models.policy(runDir.resolve("base"), settings.cacheBudgetBytes()));
        }
        return new Workers.Spec(policies, 2, TestbedJudge::new, 1, TestbedCritic::new);
      default:
        throw new IllegalArgumentException("unknown search backend '" + backend + "'");
    }
  }

  private SearchNode.Hold hold(String runId) {
    if (hooks.holdAfterExpansions() <= 0 || !hooks.runId().equals(runId)) {
      return SearchNode.Hold.NEVER;
    }
    return new SearchNode.Hold(hooks.holdAfterExpansions(), () -> HookMarker.write(runRoot, runId, "search", nodeName));
  }
}
