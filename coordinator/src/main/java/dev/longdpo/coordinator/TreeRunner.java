package dev.longdpo.coordinator;

import dev.longdpo.coordinator.search.TreeSearch;
import dev.longdpo.protocol.pairs.PreferencePair;
import dev.longdpo.protocol.pairs.TreeCompleted;
import dev.longdpo.protocol.search.CriticProtocol;
import dev.longdpo.protocol.search.RewardProtocol;
import dev.longdpo.protocol.search.SearchNodeProtocol;
import dev.longdpo.protocol.search.TaskSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Drives one prompt's {@link TreeSearch}: sends each request to a worker (the tree's search node,
 * chosen by hashing the tree id so its cached states are reused; any reward and critic actor),
 * hands the answers back, reports the prompt's pairs to the coordinator when its search is over,
 * and stops. A request that times out is retried (on whichever worker the tree now maps to);
 * repeated failure fails the tree, which a resumed run searches again from the start.
 *
 * <p>Lost on stop: the tree itself (a rerun reproduces it from the prompt's seed).
 */
final class TreeRunner extends AbstractBehavior<TreeRunner.Command> {

  interface Command extends NoSerializationVerificationNeeded {}

  /** The current workers. */
  record Workers(WorkerSet set) implements Command {}

  private record WrappedExpanded(SearchNodeProtocol.Expanded result) implements Command {}

  private record WrappedScored(RewardProtocol.Scored result) implements Command {}

  private record WrappedCritiqued(CriticProtocol.Critiqued result) implements Command {}

  private record RequestFailed(TreeSearch.Request request, Throwable error) implements Command {}

  private static final int MAX_ATTEMPTS = 3;

  private final TreeSearch tree;
  private final TaskSpec task;
  private final ActorRef<CoordinatorEvents.Event> coordinator;
  private final Duration timeout;
  private WorkerSet workers;
  private int pairs;
  private int attempts;
  private int roundRobin;

  static Behavior<Command> create(
      TreeSearch tree, TaskSpec task, WorkerSet workers, Duration timeout, ActorRef<CoordinatorEvents.Event> coordinator) {
    return Behaviors.setup(ctx -> new TreeRunner(ctx, tree, task, workers, timeout, coordinator));
  }

  private TreeRunner(
      ActorContext<Command> ctx, TreeSearch tree, TaskSpec task, WorkerSet workers, Duration timeout,
      ActorRef<CoordinatorEvents.Event> coordinator) {
    super(ctx);
    this.tree = tree;
    this.task = task;
    this.workers = workers;
    this.timeout = timeout;
    this.coordinator = coordinator;
    send(tree.next());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Workers.class, this::onWorkers)
        .onMessage(WrappedExpanded.class, w -> advance(tree.onExpanded(w.result().samples())))
        .onMessage(WrappedScored.class, w -> advance(tree.onScored(w.result().scores())))
        .onMessage(WrappedCritiqued.class, w -> advance(tree.onCritiqued(w.result().suggestions())))
        .onMessage(RequestFailed.class, this::onFailed)
        .build();
  }

  private Behavior<Command> onWorkers(Workers w) {
    workers = w.set();
    return this;
  }

  private Behavior<Command> advance(Optional<TreeSearch.Request> next) {
    attempts = 0;
    if (tree.isDone()) {
      // A prompt's pairs go out together when its search ends, each knowing how many its prompt
      // yielded. Nothing is lost by waiting: a restarted run searches an unfinished prompt again.
      List<PreferencePair> found = tree.takePairs();
      if (!found.isEmpty()) {
        pairs += found.size();
        coordinator.tell(new CoordinatorEvents.PairsFound(tree.id(), found));
      }
      TreeCompleted done = tree.completion(pairs);
      workers.searchNodeFor(tree.id()).ifPresent(n -> n.tell(new SearchNodeProtocol.Forget(tree.id())));
      coordinator.tell(new CoordinatorEvents.TreeFinished(tree.id(), done));
      return Behaviors.stopped();
    }
    send(next);
    return this;
  }

  private void send(Optional<TreeSearch.Request> request) {
    TreeSearch.Request r =
        request.orElseThrow(() -> new IllegalStateException(tree.id() + ": the search neither asked nor finished"));
    if (r instanceof TreeSearch.Expand e) {
      ActorRef<SearchNodeProtocol.Command> node = workers.searchNodeFor(tree.id()).orElseThrow();
      getContext().ask(SearchNodeProtocol.Expanded.class, node, timeout,
          replyTo -> new SearchNodeProtocol.Expand(e.job(), replyTo),
          (res, err) -> res != null ? new WrappedExpanded(res) : new RequestFailed(r, err));
    } else if (r instanceof TreeSearch.Score s) {
      ActorRef<RewardProtocol.Command> reward = workers.reward(roundRobin++).orElseThrow();
      getContext().ask(RewardProtocol.Scored.class, reward, timeout,
          replyTo -> new RewardProtocol.Score(task, s.context(), s.candidates(), replyTo),
          (res, err) -> res != null ? new WrappedScored(res) : new RequestFailed(r, err));
    } else if (r instanceof TreeSearch.Critique c) {
      ActorRef<CriticProtocol.Command> critic = workers.critic(roundRobin++).orElseThrow();
      getContext().ask(CriticProtocol.Critiqued.class, critic, timeout,
          replyTo -> new CriticProtocol.Critique(task, c.context(), c.chosen(), c.siblings(), c.max(), replyTo),
          (res, err) -> res != null ? new WrappedCritiqued(res) : new RequestFailed(r, err));
    }
  }

  private Behavior<Command> onFailed(RequestFailed f) {
    attempts++;
    if (attempts >= MAX_ATTEMPTS || !workers.ready()) {
      coordinator.tell(new CoordinatorEvents.TreeFailed(tree.id(), String.valueOf(f.error())));
      return Behaviors.stopped();
    }
    getContext().getLog().warn("{}: {} failed ({}), retrying", tree.id(), f.request().getClass().getSimpleName(), f.error().toString());
    send(Optional.of(f.request()));
    return this;
  }
}
