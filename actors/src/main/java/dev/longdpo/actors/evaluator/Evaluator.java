package dev.longdpo.actors.evaluator;

import dev.longdpo.protocol.training.CheckpointWritten;
import dev.longdpo.protocol.training.EvaluatorProtocol;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Scores checkpoints as they are announced: the base model once at start, then every {@link
 * CheckpointWritten}. Each evaluation samples the held-out tasks with fixed decoding and writes
 * {@code eval/<checkpoint>.json}. Announcements only queue here, so training never waits for an
 * evaluation; when a variant's newer checkpoint is already queued, its older intermediate ones are
 * skipped (final checkpoints never are). An evaluation samples a batch of tasks per thread per
 * message, so announcements are read between batches: when a variant's final checkpoint arrives, an
 * intermediate one of it still being evaluated is given up, since nobody waits for it any more and
 * the final one would wait for it (at the end of the demo that was minutes). Spawn it on the
 * blocking dispatcher: a batch holds the thread for seconds.
 */
public final class Evaluator extends AbstractBehavior<EvaluatorProtocol.Command> {

  /** Samples the next batches, or starts the next queued target; sent to itself so announcements interleave. */
  private enum Next implements EvaluatorProtocol.Command, NoSerializationVerificationNeeded { INSTANCE }

  private final CheckpointEvaluation evaluation;
  private final EvalListener listener;
  private final Deque<CheckpointEvaluation.Target> queue = new ArrayDeque<>();
  private final List<ActorRef<EvaluatorProtocol.Idle>> waiting = new ArrayList<>();
  private CheckpointEvaluation.Running current;
  private boolean scheduled;
  private int evaluated;
  private int skipped;

  /**
   * @param base the base model, evaluated first; empty to skip it
   */
  public static Behavior<EvaluatorProtocol.Command> create(
      CheckpointEvaluation evaluation, Optional<Path> base, EvalListener listener) {
    return Behaviors.setup(ctx -> new Evaluator(ctx, evaluation, base, listener));
  }

  private Evaluator(
      ActorContext<EvaluatorProtocol.Command> ctx, CheckpointEvaluation evaluation, Optional<Path> base,
      EvalListener listener) {
    super(ctx);
    this.evaluation = evaluation;
    this.listener = listener;
    base.ifPresent(p -> enqueue(new CheckpointEvaluation.Target("base", "base", p, 0, 0, true)));
  }

  @Override
  public Receive<EvaluatorProtocol.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(CheckpointWritten.class, this::onCheckpoint)
        .onMessageEquals(Next.INSTANCE, this::onNext)
        .onMessage(EvaluatorProtocol.WhenIdle.class, this::onWhenIdle)
        .onSignal(PostStop.class, stop -> {
          closeCurrent();
          return this;
        })
        .build();
  }

  private Behavior<EvaluatorProtocol.Command> onCheckpoint(CheckpointWritten c) {
    if (c.last() && current != null && supersedes(c, current.target())) {
      skipped++;
      getContext().getLog().info("giving up {}: {} is the last of {}", current.target().checkpoint(), c.name(), c.variant());
      closeCurrent();
    }
    enqueue(new CheckpointEvaluation.Target(c.name(), c.variant(), Path.of(c.path()), c.step(), c.trainedTokens(), c.last()));
    return this;
  }

  /** Whether {@code last}, a variant's final checkpoint, makes evaluating {@code t} pointless. */
  private static boolean supersedes(CheckpointWritten last, CheckpointEvaluation.Target t) {
    return !t.last() && t.variant().equals(last.variant());
  }

  private void enqueue(CheckpointEvaluation.Target t) {
    queue.add(t);
    if (!scheduled) {
      scheduled = true;
      getContext().getSelf().tell(Next.INSTANCE);
    }
  }

  private Behavior<EvaluatorProtocol.Command> onNext() {
    scheduled = false;
    if (current == null && !startNext()) {
      answerIdle();
      return this;
    }
    if (current != null) {
      sampleBatch();
    }
    scheduled = true;
    getContext().getSelf().tell(Next.INSTANCE);
    return this;
  }

  /** Takes the next queued target that is worth evaluating; false when the queue is empty. */
  private boolean startNext() {
    CheckpointEvaluation.Target t = queue.poll();
    if (t == null) {
      return false;
    }
    if (!t.last() && newerQueued(t.variant())) {
      skipped++;
      getContext().getLog().info("skipping {}: a newer checkpoint of {} is waiting", t.checkpoint(), t.variant());
      return true;
    }
    listener.started(t, evaluation.tasks().size(), queue.size());
    try {
      current = evaluation.start(t);
    } catch (Exception e) {
      failed(t, e);
    }
    return true;
  }

  private void sampleBatch() {
    CheckpointEvaluation.Target t = current.target();
    try {
      listener.progress(t, current.sampleNext());
      if (current.sampled()) {
        EvalRecord r = current.finish();
        closeCurrent();
        evaluated++;
        listener.evaluated(r);
      }
    } catch (Exception e) {
      closeCurrent();
      failed(t, e);
    }
  }

  private void failed(CheckpointEvaluation.Target t, Exception e) {
    getContext().getLog().error("evaluation of {} ({}) failed: {}", t.checkpoint(), t.path(), e.getMessage());
    listener.failed(t, e);
  }

  private void closeCurrent() {
    if (current != null) {
      current.close();
      current = null;
    }
  }

  private boolean newerQueued(String variant) {
    for (Iterator<CheckpointEvaluation.Target> it = queue.iterator(); it.hasNext(); ) {
      if (it.next().variant().equals(variant)) {
        return true;
      }
    }
    return false;
  }

  private Behavior<EvaluatorProtocol.Command> onWhenIdle(EvaluatorProtocol.WhenIdle w) {
    waiting.add(w.replyTo());
    if (queue.isEmpty() && current == null && !scheduled) {
      answerIdle();
    }
    return this;
  }

  private void answerIdle() {
    for (ActorRef<EvaluatorProtocol.Idle> r : waiting) {
      r.tell(new EvaluatorProtocol.Idle(evaluated, skipped));
    }
    waiting.clear();
  }
}
