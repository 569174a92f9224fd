package dev.longdpo.coordinator;

import dev.longdpo.actors.ActorsSettings;
import dev.longdpo.actors.backend.Facts;
import dev.longdpo.actors.backend.ReferenceScorer;
import dev.longdpo.actors.backend.StatedFact;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Drives one prompt's {@link TreeSearch}: sends each request to a worker (the tree's search node,
 * chosen by rendezvous hashing of the tree id so its cached states are reused and only a lost
 * node's trees move; any reward and critic actor), hands the answers back, reports the prompt's
 * pairs to the coordinator when its search is over, and stops.
 *
 * <p>Losing a worker costs seconds, not the ask time-out: the receptionist drops an unreachable
 * node's workers from its listing, and a request whose worker left the listing is sent again at
 * once to the worker the tree maps to now (a late answer from the old one is ignored). While no
 * worker of a kind is listed the request waits. A request that times out is retried; repeated
 * failure fails the tree, which the coordinator searches again from the start (its budget is the
 * run's {@code tree-attempts}).
 *
 * <p>The memory pool's checks, and the reference's scores where the policy is not the reference,
 * run on the blocking dispatcher and come back as messages, so a slow fact checker delays its own
 * tree and never this actor's thread (nor the coordinator's).
 *
 * <p>Lost on stop: the tree itself (a rerun reproduces it from the prompt's seed).
 */
final class TreeRunner extends AbstractBehavior<TreeRunner.Command> {

  interface Command extends NoSerializationVerificationNeeded {}

  /** The current workers. */
  record Workers(WorkerSet set) implements Command {}

  /** The run was resumed: send the expansion held while it was paused. */
  enum Resumed implements Command { INSTANCE }

  private record WrappedExpanded(long seq, SearchNodeProtocol.Expanded result) implements Command {}

  private record WrappedScored(long seq, RewardProtocol.Scored result) implements Command {}

  private record WrappedCritiqued(long seq, CriticProtocol.Critiqued result) implements Command {}

  private record FactsChecked(long seq, List<Boolean> contradicts) implements Command {}

  private record FactsExtracted(long seq, List<StatedFact> facts) implements Command {}

  private record ReferenceScored(long seq, double[] sumLogProbs) implements Command {}

  private record RequestFailed(long seq, TreeSearch.Request request, Throwable error) implements Command {}

  private static final int MAX_ATTEMPTS = 3;

  private final TreeSearch tree;
  private final TaskSpec task;
  private final Facts facts;
  private final Optional<ReferenceScorer> reference;
  private final Executor blocking;
  /** Whether the current request runs here (a fact check), not at a worker. */
  private boolean local;
  private final ActorRef<CoordinatorEvents.Event> coordinator;
  private final Duration timeout;
  private WorkerSet workers;
  private int pairs;
  private int attempts;
  private int roundRobin;
  /** The request being answered (or waiting for a worker), and the worker it went to. */
  private TreeSearch.Request current;
  private ActorRef<?> target;
  /** Numbers each send; an answer to an earlier send (a re-routed request) is ignored. */
  private long seq;
  private final SearchGate gate;

  static Behavior<Command> create(
      TreeSearch tree, TaskSpec task, SearchBackends backends, WorkerSet workers, Duration timeout,
      ActorRef<CoordinatorEvents.Event> coordinator, SearchGate gate) {
    return Behaviors.setup(ctx -> new TreeRunner(ctx, tree, task, backends, workers, timeout, coordinator, gate));
  }

  private TreeRunner(
      ActorContext<Command> ctx, TreeSearch tree, TaskSpec task, SearchBackends backends, WorkerSet workers,
      Duration timeout, ActorRef<CoordinatorEvents.Event> coordinator, SearchGate gate) {
    super(ctx);
    this.gate = gate;
    this.tree = tree;
    this.task = task;
    this.facts = backends.facts();
    this.reference = backends.reference();
    this.blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(ActorsSettings.BLOCKING_DISPATCHER));
    this.workers = workers;
    this.timeout = timeout;
    this.coordinator = coordinator;
    send(tree.next());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Workers.class, this::onWorkers)
        .onMessageEquals(Resumed.INSTANCE, () -> {
          if (current != null && target == null && !local) {
            send(Optional.of(current));
          }
          return this;
        })
        .onMessage(WrappedExpanded.class, w -> w.seq() != seq ? this : advance(tree.onExpanded(w.result().samples())))
        .onMessage(WrappedScored.class, w -> w.seq() != seq ? this : advance(tree.onScored(w.result().scores())))
        .onMessage(WrappedCritiqued.class, w -> w.seq() != seq ? this : advance(tree.onCritiqued(w.result().suggestions())))
        .onMessage(FactsChecked.class, w -> w.seq() != seq ? this : advance(tree.onFactsChecked(w.contradicts())))
        .onMessage(FactsExtracted.class, w -> w.seq() != seq ? this : advance(tree.onFactsExtracted(w.facts())))
        .onMessage(ReferenceScored.class, w -> w.seq() != seq ? this
            : advance(tree.onReferenceScored(w.sumLogProbs()[0], w.sumLogProbs()[1])))
        .onMessage(RequestFailed.class, this::onFailed)
        .build();
  }

  private Behavior<Command> onWorkers(Workers w) {
    workers = w.set();
    if (current != null && !local && (target == null || !workers.contains(target))) {
      // Waiting for a worker, or the one asked is gone (unreachable, left, stopped): ask again now.
      if (target != null) {
        getContext().getLog().info("{}: its worker {} is gone; sending {} elsewhere", tree.id(), target.path(),
            current.getClass().getSimpleName());
        coordinator.tell(new CoordinatorEvents.TreeRerouted(tree.id()));
      }
      send(Optional.of(current));
    }
    return this;
  }

  private Behavior<Command> advance(Optional<TreeSearch.Request> next) {
    attempts = 0;
    current = null;
    target = null;
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
    current = r;
    target = null;
    local = false;
    long s = ++seq;
    if (r instanceof TreeSearch.CheckFacts f) {
      local = true;
      runLocally(CompletableFuture.supplyAsync(() -> facts.contradicts(f.candidates(), f.pool()), blocking), r,
          res -> new FactsChecked(s, res), s);
    } else if (r instanceof TreeSearch.ExtractFacts x) {
      local = true;
      runLocally(CompletableFuture.supplyAsync(() -> facts.extract(x.step()), blocking), r,
          res -> new FactsExtracted(s, res), s);
    } else if (r instanceof TreeSearch.ScoreReference ref) {
      local = true;
      ReferenceScorer scorer = reference.orElseThrow(
          () -> new IllegalStateException(tree.id() + ": a reference score was asked but the run has no reference backend"));
      runLocally(CompletableFuture.supplyAsync(() -> scorer.sumLogProbs(ref.prefix(), ref.chosen(), ref.rejected()),
          blocking), r, res -> new ReferenceScored(s, res), s);
    } else if (r instanceof TreeSearch.Expand e) {
      Optional<ActorRef<SearchNodeProtocol.Command>> node = workers.searchNodeFor(tree.id());
      if (node.isEmpty() || !gate.tryStartExpansion()) {
        return; // waits for a search node to be listed, or for the run to resume
      }
      target = node.get();
      getContext().ask(SearchNodeProtocol.Expanded.class, node.get(), timeout,
          replyTo -> new SearchNodeProtocol.Expand(e.job(), replyTo),
          (res, err) -> res != null ? new WrappedExpanded(s, res) : new RequestFailed(s, r, err));
    } else if (r instanceof TreeSearch.Score sc) {
      Optional<ActorRef<RewardProtocol.Command>> reward = workers.reward(roundRobin++);
      if (reward.isEmpty()) {
        return;
      }
      target = reward.get();
      getContext().ask(RewardProtocol.Scored.class, reward.get(), timeout,
          replyTo -> new RewardProtocol.Score(task, sc.context(), sc.candidates(), replyTo),
          (res, err) -> res != null ? new WrappedScored(s, res) : new RequestFailed(s, r, err));
    } else if (r instanceof TreeSearch.Critique c) {
      Optional<ActorRef<CriticProtocol.Command>> critic = workers.critic(roundRobin++);
      if (critic.isEmpty()) {
        return;
      }
      target = critic.get();
      getContext().ask(CriticProtocol.Critiqued.class, critic.get(), timeout,
          replyTo -> new CriticProtocol.Critique(task, c.context(), c.chosen(), c.siblings(), c.max(), replyTo),
          (res, err) -> res != null ? new WrappedCritiqued(s, res) : new RequestFailed(s, r, err));
    }
  }

  private <T> void runLocally(CompletableFuture<T> work, TreeSearch.Request r, Function<T, Command> done, long s) {
    getContext().pipeToSelf(work.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS),
        (res, err) -> err == null ? done.apply(res) : new RequestFailed(s, r, err));
  }

  private Behavior<Command> onFailed(RequestFailed f) {
    if (f.seq() != seq) {
      return this; // the time-out of a request already sent elsewhere
    }
    attempts++;
    if (attempts >= MAX_ATTEMPTS) {
      coordinator.tell(new CoordinatorEvents.TreeFailed(tree.id(), String.valueOf(f.error())));
      return Behaviors.stopped();
    }
    getContext().getLog().warn("{}: {} failed ({}), retrying", tree.id(), f.request().getClass().getSimpleName(), f.error().toString());
    send(Optional.of(f.request()));
    return this;
  }
}
