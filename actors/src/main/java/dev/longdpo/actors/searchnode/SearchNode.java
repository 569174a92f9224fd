package dev.longdpo.actors.searchnode;

import dev.longdpo.actors.metrics.NodeMeters;
import dev.longdpo.actors.ActorsSettings;
import dev.longdpo.actors.backend.Policy;
import dev.longdpo.actors.backend.PolicyStats;
import dev.longdpo.protocol.search.ExpandJob;
import dev.longdpo.protocol.search.SearchNodeProtocol;
import dev.longdpo.protocol.search.StepSample;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * Hosts a {@link Policy} and expands tree nodes for any number of trees. Requests are batched:
 * after a batch, the next one starts once every tree it served has asked again or finished (they
 * judge their children in between), when {@code max-batch-rows} sequences are waiting, or when the
 * oldest request has waited {@code max-wait}. The batch runs on the blocking dispatcher, never this
 * actor's thread, and new requests queue meanwhile. One batch runs at a time, so the policy is only
 * ever used by one thread.
 *
 * <p>Registers with the receptionist under {@link SearchNodeProtocol#KEY} or a run's key. On restart or stop the
 * cached states are lost; trees recompute them from the ids their requests carry.
 */
public final class SearchNode extends AbstractBehavior<SearchNodeProtocol.Command> {

  private interface Internal extends SearchNodeProtocol.Command, org.apache.pekko.actor.NoSerializationVerificationNeeded {}

  private enum Flush implements Internal {
    INSTANCE
  }

  private record BatchDone(List<SearchNodeProtocol.Expand> batch, List<List<StepSample>> results, Throwable error)
      implements Internal {}

  /** Asks for the policy's counters. */
  public record GetStats(org.apache.pekko.actor.typed.ActorRef<PolicyStats> replyTo) implements Internal {}

  private final Policy policy;
  private final ActorsSettings settings;
  private final TimerScheduler<SearchNodeProtocol.Command> timers;
  private final Executor blocking;
  private final Deque<SearchNodeProtocol.Expand> queue = new ArrayDeque<>();
  private final List<String> forgotten = new ArrayList<>();
  private boolean running;
  private final Hold hold;
  private int requests;
  /** Trees served by the last batch that have not asked again yet (nor finished). */
  private final java.util.Set<String> awaited = new java.util.HashSet<>();

  /** A search node over {@code policy} (which it closes when it stops). */
  public static Behavior<SearchNodeProtocol.Command> create(Policy policy, ActorsSettings settings) {
    return create(policy, settings, SearchNodeProtocol.KEY, Hold.NEVER);
  }

  /**
   * A search node over {@code policy}, registered under {@code key}.
   *
   * @param hold a test hook: after this many expansion requests the node answers no more
   */
  public static Behavior<SearchNodeProtocol.Command> create(
      Policy policy, ActorsSettings settings, ServiceKey<SearchNodeProtocol.Command> key, Hold hold) {
    return Behaviors.setup(
        ctx -> Behaviors.withTimers(timers -> new SearchNode(ctx, timers, policy, settings, key, hold)));
  }

  /**
   * A fault-injection hook for tests: after {@code afterRequests} expansion requests the node
   * keeps every further request unanswered (as a node that hangs or is about to die) and runs
   * {@code onHeld} once, which tells the test it may kill the node now.
   */
  public record Hold(int afterRequests, Runnable onHeld) {
    /** No hold. */
    public static final Hold NEVER = new Hold(0, () -> {});
  }

  private SearchNode(
      ActorContext<SearchNodeProtocol.Command> ctx,
      TimerScheduler<SearchNodeProtocol.Command> timers,
      Policy policy,
      ActorsSettings settings,
      ServiceKey<SearchNodeProtocol.Command> key,
      Hold hold) {
    super(ctx);
    this.policy = policy;
    this.settings = settings;
    this.timers = timers;
    this.hold = hold;
    this.blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(ActorsSettings.BLOCKING_DISPATCHER));
    ctx.getSystem().receptionist().tell(Receptionist.register(key, ctx.getSelf()));
  }

  @Override
  public Receive<SearchNodeProtocol.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(SearchNodeProtocol.Expand.class, this::onExpand)
        .onMessage(SearchNodeProtocol.Forget.class, this::onForget)
        .onMessageEquals(Flush.INSTANCE, this::onFlush)
        .onMessage(BatchDone.class, this::onBatchDone)
        .onMessage(GetStats.class, this::onGetStats)
        .onSignal(PostStop.class, s -> onStop())
        .build();
  }

  private Behavior<SearchNodeProtocol.Command> onExpand(SearchNodeProtocol.Expand e) {
    requests++;
    if (hold.afterRequests() > 0 && requests > hold.afterRequests()) {
      if (requests == hold.afterRequests() + 1) {
        hold.onHeld().run();
      }
      return this;
    }
    queue.add(e);
    NodeMeters.setPart("longdpo.search.queued.jobs", this, queue.size());
    awaited.remove(e.job().treeId());
    maybeRun();
    return this;
  }

  /** Runs a batch once every awaited tree is back or the batch is full; else waits (bounded). */
  private void maybeRun() {
    if (running || queue.isEmpty()) {
      return;
    }
    if (awaited.isEmpty() || queuedRows() >= settings.maxBatchRows()) {
      runBatch();
    } else if (!timers.isTimerActive(Flush.INSTANCE)) {
      timers.startSingleTimer(Flush.INSTANCE, settings.maxWait());
    }
  }

  private Behavior<SearchNodeProtocol.Command> onForget(SearchNodeProtocol.Forget f) {
    forgotten.add(f.treeId()); // applied by the next batch, on the thread that owns the policy
    awaited.remove(f.treeId()); // a finished tree will not ask again
    maybeRun();
    return this;
  }

  private Behavior<SearchNodeProtocol.Command> onFlush() {
    if (!running && !queue.isEmpty()) {
      runBatch();
    }
    return this;
  }

  private int queuedRows() {
    int rows = 0;
    for (SearchNodeProtocol.Expand e : queue) {
      rows += e.job().count();
    }
    return rows;
  }

  private void runBatch() {
    timers.cancel(Flush.INSTANCE);
    List<SearchNodeProtocol.Expand> batch = new ArrayList<>();
    int rows = 0;
    while (!queue.isEmpty() && (batch.isEmpty() || rows + queue.peek().job().count() <= settings.maxBatchRows())) {
      SearchNodeProtocol.Expand e = queue.poll();
      batch.add(e);
      rows += e.job().count();
    }
    NodeMeters.setPart("longdpo.search.queued.jobs", this, queue.size());
    List<String> forget = new ArrayList<>(forgotten);
    forgotten.clear();
    List<ExpandJob> jobs = batch.stream().map(SearchNodeProtocol.Expand::job).toList();
    running = true;
    getContext().pipeToSelf(
        CompletableFuture.supplyAsync(() -> {
          forget.forEach(policy::forget);
          return policy.expand(jobs);
        }, blocking),
        (results, error) -> new BatchDone(batch, results, error));
  }

  private Behavior<SearchNodeProtocol.Command> onBatchDone(BatchDone done) {
    running = false;
    if (done.error() != null) {
      getContext().getLog().error("expansion batch of {} jobs failed", done.batch().size(), done.error());
      throw new IllegalStateException("policy failed", done.error());
    }
    awaited.clear();
    for (int i = 0; i < done.batch().size(); i++) {
      SearchNodeProtocol.Expand e = done.batch().get(i);
      e.replyTo().tell(new SearchNodeProtocol.Expanded(e.job().nodeKey(), done.results().get(i)));
      awaited.add(e.job().treeId());
    }
    // The trees just answered judge their children and come back with their next expansion within
    // milliseconds (or finish): wait for them, bounded by max-wait, so they share the next batch
    // instead of trickling into several small ones.
    for (SearchNodeProtocol.Expand e : queue) {
      awaited.remove(e.job().treeId());
    }
    maybeRun();
    return this;
  }

  private Behavior<SearchNodeProtocol.Command> onGetStats(GetStats g) {
    g.replyTo().tell(policy.stats());
    return this;
  }

  private Behavior<SearchNodeProtocol.Command> onStop() {
    NodeMeters.removeParts(this);
    CompletableFuture.runAsync(policy::close, blocking);
    return this;
  }
}
