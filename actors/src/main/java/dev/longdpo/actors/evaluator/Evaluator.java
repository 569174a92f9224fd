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
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Scores checkpoints as they are announced: the base model once at start, then every {@link
 * CheckpointWritten}. Each evaluation samples the held-out tasks with fixed decoding and writes
 * {@code eval/<checkpoint>.json}. Announcements only queue here, so training never waits for an
 * evaluation; when a variant's newer checkpoint is already queued, its older intermediate ones are
 * skipped (final checkpoints never are). Spawn it on the blocking dispatcher: an evaluation holds
 * the thread for seconds to minutes, one at a time.
 */
public final class Evaluator extends AbstractBehavior<EvaluatorProtocol.Command> {

  /** Evaluates the next queued target; sent to itself so announcements interleave. */
  private enum Next implements EvaluatorProtocol.Command, NoSerializationVerificationNeeded { INSTANCE }

  private final CheckpointEvaluation evaluation;
  private final EvalListener listener;
  private final Deque<CheckpointEvaluation.Target> queue = new ArrayDeque<>();
  private final List<ActorRef<EvaluatorProtocol.Idle>> waiting = new ArrayList<>();
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
        .build();
  }

  private Behavior<EvaluatorProtocol.Command> onCheckpoint(CheckpointWritten c) {
    enqueue(new CheckpointEvaluation.Target(c.name(), c.variant(), Path.of(c.path()), c.step(), c.trainedTokens(), c.last()));
    return this;
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
    CheckpointEvaluation.Target t = queue.poll();
    if (t == null) {
      answerIdle();
      return this;
    }
    if (!t.last() && newerQueued(t.variant())) {
      skipped++;
      getContext().getLog().info("skipping {}: a newer checkpoint of {} is waiting", t.checkpoint(), t.variant());
    } else {
      listener.started(t, evaluation.tasks().size(), queue.size());
      try {
        EvalRecord r = evaluation.evaluate(t, done -> listener.progress(t, done));
        evaluated++;
        listener.evaluated(r);
      } catch (Exception e) {
        getContext().getLog().error("evaluation of {} ({}) failed: {}", t.checkpoint(), t.path(), e.getMessage());
        listener.failed(t, e);
      }
    }
    scheduled = true;
    getContext().getSelf().tell(Next.INSTANCE);
    return this;
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
    if (queue.isEmpty() && !scheduled) {
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
