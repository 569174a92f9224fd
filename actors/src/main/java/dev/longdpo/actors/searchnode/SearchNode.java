package dev.longdpo.actors.searchnode;

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

/**
 * Hosts a {@link Policy} and expands tree nodes for any number of trees. Requests are batched: a
 * batch closes when it holds {@code max-batch-rows} sampled sequences or its oldest request has
 * waited {@code max-wait}; while a batch runs (on the blocking dispatcher, never this actor's
 * thread) new requests queue up and form the next batch. One batch runs at a time, so the policy
 * is only ever used by one thread.
 *
 * <p>Registers with the receptionist under {@link SearchNodeProtocol#KEY}. On restart or stop the
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

  /** A search node over {@code policy} (which it closes when it stops). */
  public static Behavior<SearchNodeProtocol.Command> create(Policy policy, ActorsSettings settings) {
    return Behaviors.setup(
        ctx -> Behaviors.withTimers(timers -> new SearchNode(ctx, timers, policy, settings)));
  }

  private SearchNode(
      ActorContext<SearchNodeProtocol.Command> ctx,
      TimerScheduler<SearchNodeProtocol.Command> timers,
      Policy policy,
      ActorsSettings settings) {
    super(ctx);
    this.policy = policy;
    this.settings = settings;
    this.timers = timers;
    this.blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(ActorsSettings.BLOCKING_DISPATCHER));
    ctx.getSystem().receptionist().tell(Receptionist.register(SearchNodeProtocol.KEY, ctx.getSelf()));
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
    queue.add(e);
    if (!running) {
      if (queuedRows() >= settings.maxBatchRows()) {
        runBatch();
      } else if (!timers.isTimerActive(Flush.INSTANCE)) {
        timers.startSingleTimer(Flush.INSTANCE, settings.maxWait());
      }
    }
    return this;
  }

  private Behavior<SearchNodeProtocol.Command> onForget(SearchNodeProtocol.Forget f) {
    forgotten.add(f.treeId()); // applied by the next batch, on the thread that owns the policy
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
    for (int i = 0; i < done.batch().size(); i++) {
      SearchNodeProtocol.Expand e = done.batch().get(i);
      e.replyTo().tell(new SearchNodeProtocol.Expanded(e.job().nodeKey(), done.results().get(i)));
    }
    if (!queue.isEmpty()) {
      runBatch(); // what queued during the batch is the next batch
    }
    return this;
  }

  private Behavior<SearchNodeProtocol.Command> onGetStats(GetStats g) {
    g.replyTo().tell(policy.stats());
    return this;
  }

  private Behavior<SearchNodeProtocol.Command> onStop() {
    CompletableFuture.runAsync(policy::close, blocking);
    return this;
  }
}
