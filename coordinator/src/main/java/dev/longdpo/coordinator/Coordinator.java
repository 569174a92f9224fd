package dev.longdpo.coordinator;

import dev.longdpo.actors.metrics.NodeMeters;
import dev.longdpo.actors.backend.PromptEncoder;
import dev.longdpo.actors.stream.PairStreamServer;
import dev.longdpo.coordinator.run.PairLog;
import dev.longdpo.coordinator.search.SearchSettings;
import dev.longdpo.coordinator.search.TreeSearch;
import dev.longdpo.protocol.coordinator.CoordinatorProtocol;
import dev.longdpo.protocol.pairs.PairStreamProtocol;
import dev.longdpo.protocol.pairs.PreferencePair;
import dev.longdpo.protocol.pairs.TreeCompleted;
import dev.longdpo.protocol.search.CriticProtocol;
import dev.longdpo.protocol.search.RewardProtocol;
import dev.longdpo.protocol.search.SearchNodeProtocol;
import dev.longdpo.protocol.search.TaskSpec;
import dev.longdpo.protocol.search.WorkerKeys;
import dev.longdpo.protocol.training.CheckpointWritten;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * Runs the LongDPO search over a set of prompts. Finds search-node, reward and critic actors
 * through the receptionist (they may live on any node), keeps at most {@code trees-in-flight}
 * trees searching at once (a {@link TreeRunner} child each), appends every pair and every finished
 * tree to the durable {@link PairLog}, and streams pairs to subscribers with flow control: never
 * more than a subscriber asked for.
 *
 * <p>State changes are the log's records (pair recorded, tree completed), so a restarted
 * coordinator rebuilds its state from the log: completed prompts are skipped, a replayed prompt's
 * pairs are not duplicated. Lost on a crash: the in-flight trees (rerun on resume) and whatever the
 * log had not flushed (at most the last batch).
 */
public final class Coordinator extends AbstractBehavior<CoordinatorProtocol.Command> {

  private interface Internal extends CoordinatorProtocol.Command, NoSerializationVerificationNeeded {}

  /** One adapter serves every key: Pekko keeps a single adapter per message class. */
  private record Listed(Receptionist.Listing listing) implements Internal {}

  /**
   * What a run is: its id, prompts, settings and where pairs go.
   *
   * @param keys the receptionist keys of the run's workers
   * @param treeAttempts how many times a prompt is searched before it is marked failed (a tree fails
   *     when its requests keep failing or time out)
   * @param hold a test hook: after this many trees complete (in this coordinator's life) no new tree
   *     starts and {@code onHeld} runs; 0 never
   * @param fence runs before every write to the log and throws if this coordinator may no longer
   *     write it (another run manager took over)
   * @param awaitSearchNodes no tree starts until this many search nodes are listed (or {@link
   *     #START_GRACE} has passed): a run starts on every node that was asked to host it, not on the
   *     first whose registration arrived
   */
  public record Plan(
      String runId, List<TaskSpec> tasks, SearchSettings settings, PairLog log, WorkerKeys keys, int treeAttempts,
      Hold hold, Runnable fence, int awaitSearchNodes) {

    /** A search in one JVM: the default keys, three attempts per prompt, no hook, no fence. */
    public Plan(String runId, List<TaskSpec> tasks, SearchSettings settings, PairLog log) {
      this(runId, tasks, settings, log, WorkerKeys.DEFAULT, 3, Hold.NEVER, () -> {}, 0);
    }
  }

  /** How long a run waits for the search nodes it expects before it starts with those listed. */
  public static final Duration START_GRACE = Duration.ofSeconds(10);

  private enum GateTimeout implements Internal {
    INSTANCE
  }

  /** The coordinator's fault-injection hook for tests (see {@link Plan}). */
  public record Hold(int afterTrees, Runnable onHeld) {
    /** No hold. */
    public static final Hold NEVER = new Hold(0, () -> {});
  }

  /** Finish the trees in flight, start no new ones, then end the run (a drain). */
  /**
   * Pause (no tree starts, and no tree sends another expansion; requests in flight are answered)
   * or resume the search. The pair stream is served either way. The reply's {@code
   * expansionsStarted} is the count at the moment the pause took (or left) effect.
   */
  public record SetPaused(boolean paused, ActorRef<CoordinatorProtocol.RunProgress> replyTo) implements Internal {}

  public enum Drain implements Internal {
    INSTANCE
  }

  private final Plan plan;
  private final SearchBackends backends;
  private final RunListener listener;
  private final ActorRef<RunSummary> onFinished;
  private final Deque<TaskSpec> pending = new ArrayDeque<>();
  private final Map<String, ActorRef<TreeRunner.Command>> live = new LinkedHashMap<>();
  private final Map<String, TreeCompleted> completed = new LinkedHashMap<>();
  /** Every pair of the run, read from the log when served: the pairs stay on disk. */
  private final List<PreferencePair> pairs;
  /** The sum of every pair's margin, for the summary's mean. */
  private double marginSum;
  private final PairStreamServer stream = new PairStreamServer();
  private final Map<String, CheckpointWritten> latestCheckpoints = new LinkedHashMap<>();
  private final Set<String> failed = new HashSet<>();
  private final Map<String, Integer> attempts = new HashMap<>();
  private final Map<String, TaskSpec> byId = new HashMap<>();
  private int completedHere;
  private boolean held;
  private boolean draining;
  private boolean gateOpen;
  private final long started = System.nanoTime();
  private final int skipped;
  private final ActorRef<CoordinatorEvents.Event> events;
  private WorkerSet workers;
  private int maxLive;
  private int treeCounter;
  private boolean finished;
  private boolean stopping;
  /** Pauses the trees' expansions and counts them (shared with the tree runners). */
  private final SearchGate gate = new SearchGate();

  /**
   * @param onFinished receives the summary when every prompt is done
   * @return the behavior; it keeps serving the pair stream after the search finishes, until
   *     stopped
   */
  public static Behavior<CoordinatorProtocol.Command> create(
      Plan plan, SearchBackends backends, RunListener listener, ActorRef<RunSummary> onFinished) {
    return Behaviors.setup(ctx -> new Coordinator(ctx, plan, backends, listener, onFinished));
  }

  private Coordinator(
      ActorContext<CoordinatorProtocol.Command> ctx, Plan plan, SearchBackends backends, RunListener listener,
      ActorRef<RunSummary> onFinished) {
    super(ctx);
    this.plan = plan;
    this.backends = backends;
    this.listener = listener;
    this.onFinished = onFinished;
    // The search's counters shown from 0 on the node that runs it, failures and re-routes included.
    for (String counter : List.of("longdpo.search.pairs", "longdpo.search.trees.completed",
        "longdpo.search.trees.rerouted", "longdpo.search.prompts.failed")) {
      NodeMeters.count(counter, 0);
    }
    ActorRefResolver resolver = ActorRefResolver.get(ctx.getSystem());
    this.workers = WorkerSet.empty(plan.settings().critique(), ref -> {
      String name = resolver.toSerializationFormat(ref);
      int uid = name.indexOf('#');
      return uid < 0 ? name : name.substring(0, uid);
    });
    this.events = ctx.getSelf().narrow();
    PairLog.Contents recovered = plan.log().contents();
    this.pairs = plan.log().pairs();
    for (PreferencePair p : recovered.pairs()) { // one pass over a resumed log, nothing kept
      marginSum += p.margin();
    }
    completed.putAll(recovered.completed());
    int skip = 0;
    for (TaskSpec t : plan.tasks()) {
      byId.put(t.id(), t);
      if (completed.containsKey(t.id())) {
        skip++;
      } else {
        pending.add(t);
      }
    }
    this.skipped = skip;
    this.gateOpen = plan.awaitSearchNodes() <= 0;
    if (!gateOpen) {
      ctx.scheduleOnce(START_GRACE, ctx.getSelf(), GateTimeout.INSTANCE);
    }
    var receptionist = ctx.getSystem().receptionist();
    ActorRef<Receptionist.Listing> listings = ctx.messageAdapter(Receptionist.Listing.class, Listed::new);
    receptionist.tell(Receptionist.subscribe(plan.keys().searchNodes(), listings));
    receptionist.tell(Receptionist.subscribe(plan.keys().rewards(), listings));
    if (plan.settings().critique()) {
      receptionist.tell(Receptionist.subscribe(plan.keys().critics(), listings));
    }
    checkFinished();
  }

  @Override
  public Receive<CoordinatorProtocol.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Listed.class, this::onListed)
        .onMessage(CoordinatorEvents.PairsFound.class, this::onPairsFound)
        .onMessage(CoordinatorEvents.TreeFinished.class, this::onTreeFinished)
        .onMessage(CoordinatorEvents.TreeFailed.class, this::onTreeFailed)
        .onMessage(CoordinatorEvents.TreeRerouted.class, r -> {
          NodeMeters.count("longdpo.search.trees.rerouted", 1);
          listener.treeRerouted(r.promptId());
          return this;
        })
        .onMessageEquals(Drain.INSTANCE, this::onDrain)
        .onMessage(SetPaused.class, p -> {
          long expansions = gate.setPaused(p.paused());
          p.replyTo().tell(progress(expansions));
          if (!p.paused()) {
            for (ActorRef<TreeRunner.Command> r : live.values()) {
              r.tell(TreeRunner.Resumed.INSTANCE);
            }
          }
          startTrees();
          return this;
        })
        .onMessageEquals(GateTimeout.INSTANCE, () -> {
          if (!gateOpen) {
            gateOpen = true;
            getContext().getLog().warn("{}: {} of {} search nodes listed after {} s; starting with those", plan.runId(),
                workers.searchNodes().size(), plan.awaitSearchNodes(), START_GRACE.toSeconds());
            startTrees();
          }
          return this;
        })
        .onMessage(PairStreamProtocol.Subscribe.class, this::onSubscribe)
        .onMessage(PairStreamProtocol.Request.class, this::onRequest)
        .onMessage(PairStreamProtocol.Unsubscribe.class, u -> { stream.unsubscribe(u); return this; })
        .onMessage(CheckpointWritten.class, this::onCheckpoint)
        .onMessage(CoordinatorProtocol.GetProgress.class, this::onGetProgress)
        .onMessageEquals(CoordinatorProtocol.Stop.INSTANCE, this::onStop)
        .onSignal(PostStop.class, s -> onPostStop())
        .build();
  }

  private Behavior<CoordinatorProtocol.Command> onListed(Listed l) {
    Receptionist.Listing listing = l.listing();
    WorkerKeys keys = plan.keys();
    if (listing.isForKey(keys.searchNodes())) {
      return onWorkers(workers.withSearchNodes(listing.getServiceInstances(keys.searchNodes())));
    } else if (listing.isForKey(keys.rewards())) {
      return onWorkers(workers.withRewards(listing.getServiceInstances(keys.rewards())));
    } else if (listing.isForKey(keys.critics())) {
      return onWorkers(workers.withCritics(listing.getServiceInstances(keys.critics())));
    }
    return this;
  }

  private Behavior<CoordinatorProtocol.Command> onWorkers(WorkerSet next) {
    workers = next;
    if (!gateOpen && workers.searchNodes().size() >= plan.awaitSearchNodes()) {
      gateOpen = true;
    }
    for (ActorRef<TreeRunner.Command> r : live.values()) {
      r.tell(new TreeRunner.Workers(workers));
    }
    startTrees();
    return this;
  }

  /** Starts trees while there is room, work and a full set of workers. */
  private void startTrees() {
    while (!stopping && !held && !draining && !gate.paused() && gateOpen && workers.ready() && live.size() < plan.settings().treesInFlight()
        && !pending.isEmpty()) {
      TaskSpec task = pending.poll();
      PromptEncoder.EncodedPrompt prompt = backends.prompts().encode(task);
      TreeSearch tree = new TreeSearch(task, prompt.ids(), prompt.text(), plan.settings(), plan.runId(),
          backends.reference().isPresent());
      ActorRef<TreeRunner.Command> runner = getContext().spawn(
          TreeRunner.create(tree, task, backends, workers, plan.settings().askTimeout(), events, gate),
          "tree-" + treeCounter++);
      live.put(task.id(), runner);
      maxLive = Math.max(maxLive, live.size());
    }
    NodeMeters.set("longdpo.search.trees.in.flight", live.size());
  }

  private Behavior<CoordinatorProtocol.Command> onPairsFound(CoordinatorEvents.PairsFound f) {
    try {
      plan.fence().run();
      List<PreferencePair> added = plan.log().append(f.pairs());
      plan.log().flush();
      added.forEach(p -> marginSum += p.margin());
      NodeMeters.count("longdpo.search.pairs", added.size());
    } catch (IOException e) {
      throw logFailed(e);
    } catch (IllegalStateException superseded) {
      listener.runFailed(superseded.getMessage());
      throw superseded;
    }
    deliver();
    return this;
  }

  private Behavior<CoordinatorProtocol.Command> onTreeFinished(CoordinatorEvents.TreeFinished f) {
    live.remove(f.promptId());
    try {
      plan.fence().run();
      plan.log().appendCompleted(f.completion());
      plan.log().flush();
    } catch (IOException e) {
      throw logFailed(e);
    } catch (IllegalStateException superseded) {
      listener.runFailed(superseded.getMessage());
      throw superseded;
    }
    completed.put(f.promptId(), f.completion());
    TreeCompleted t = f.completion();
    NodeMeters.count("longdpo.search.trees.completed", 1);
    NodeMeters.count("longdpo.search.memory.pool.vetoes", t.vetoes());
    NodeMeters.count("longdpo.search.critiques.fired", t.critiquesFired());
    NodeMeters.count("longdpo.search.critiques.applied", t.critiquesApplied());
    NodeMeters.set("longdpo.search.trees.in.flight", live.size());
    listener.treeFinished(completed.size(), plan.tasks().size(), pairs.size());
    completedHere++;
    if (plan.hold().afterTrees() > 0 && completedHere == plan.hold().afterTrees()) {
      held = true;
      getContext().getLog().warn("test hook: holding after {} trees", completedHere);
      plan.hold().onHeld().run();
    }
    startTrees();
    checkFinished();
    return this;
  }

  /** The run cannot go on without its log: the listener hears why, and the coordinator stops. */
  private RuntimeException logFailed(IOException e) {
    String reason = "cannot write the pair log " + plan.log().file() + ": " + e;
    listener.runFailed(reason);
    return new UncheckedIOException(reason, e);
  }

  private Behavior<CoordinatorProtocol.Command> onTreeFailed(CoordinatorEvents.TreeFailed f) {
    live.remove(f.promptId());
    int tries = attempts.merge(f.promptId(), 1, Integer::sum);
    if (tries < plan.treeAttempts() && byId.containsKey(f.promptId())) {
      getContext().getLog().warn("{}: search failed ({}); searching it again (attempt {} of {})", f.promptId(), f.reason(),
          tries + 1, plan.treeAttempts());
      listener.treeRetried(f.promptId(), tries, f.reason());
      pending.addFirst(byId.get(f.promptId()));
    } else {
      failed.add(f.promptId());
      getContext().getLog().error("{}: search failed {} times, last: {}; marked failed", f.promptId(), tries, f.reason());
      NodeMeters.count("longdpo.search.prompts.failed", 1);
      listener.promptFailed(f.promptId(), tries, f.reason());
    }
    startTrees();
    checkFinished();
    return this;
  }

  private Behavior<CoordinatorProtocol.Command> onDrain() {
    draining = true;
    checkFinished();
    return this;
  }

  private void checkFinished() {
    if (!finished && (pending.isEmpty() || draining) && live.isEmpty()) {
      finished = true;
      RunSummary summary = summary();
      listener.runFinished(summary);
      onFinished.tell(summary);
      deliver();
    }
  }

  private RunSummary summary() {
    long vetoes = 0;
    long premature = 0;
    long fired = 0;
    long applied = 0;
    long expansions = 0;
    int ended = 0;
    for (TreeCompleted t : completed.values()) {
      vetoes += t.vetoes();
      premature += t.prematureEnds();
      fired += t.critiquesFired();
      applied += t.critiquesApplied();
      expansions += t.expansions();
      ended += t.ended() ? 1 : 0;
    }
    double margin = pairs.isEmpty() ? 0 : marginSum / pairs.size();
    return new RunSummary(plan.tasks().size(), completed.size(), skipped, failed.size(), pairs.size(), vetoes, premature, fired,
        applied, expansions, margin, completed.isEmpty() ? 0 : (double) ended / completed.size(), maxLive,
        (System.nanoTime() - started) / 1e9);
  }

  private Behavior<CoordinatorProtocol.Command> onSubscribe(PairStreamProtocol.Subscribe s) {
    stream.subscribe(s);
    deliver();
    return this;
  }

  private Behavior<CoordinatorProtocol.Command> onRequest(PairStreamProtocol.Request r) {
    stream.request(r);
    deliver();
    return this;
  }

  private void deliver() {
    stream.deliver(pairs, finished);
  }

  /**
   * Keeps each variant's newest checkpoint: the search samples from the frozen base today; a
   * refreshed search policy (a later issue) starts from here.
   */
  private Behavior<CoordinatorProtocol.Command> onCheckpoint(CheckpointWritten c) {
    latestCheckpoints.put(c.variant(), c);
    getContext().getLog().info("checkpoint {} of {} at step {}", c.name(), c.variant(), c.step());
    return this;
  }

  private Behavior<CoordinatorProtocol.Command> onGetProgress(CoordinatorProtocol.GetProgress g) {
    g.replyTo().tell(progress(gate.started()));
    return this;
  }

  private CoordinatorProtocol.RunProgress progress(long expansionsStarted) {
    return new CoordinatorProtocol.RunProgress(
        plan.tasks().size(), completed.size(), live.size(), pairs.size(), failed.size(), finished, expansionsStarted);
  }

  private Behavior<CoordinatorProtocol.Command> onStop() {
    stopping = true;
    return Behaviors.stopped();
  }

  private Behavior<CoordinatorProtocol.Command> onPostStop() {
    if (!plan.log().isOpen()) {
      return this; // its owner closed it (and flushed it) first: the run manager when a run ends
    }
    try {
      plan.log().flush();
    } catch (IOException e) {
      getContext().getLog().error("cannot flush {}", plan.log().file(), e);
    }
    return this;
  }
}
