package dev.longdpo.protocol.training;

import dev.longdpo.protocol.KryoMessage;
import org.apache.pekko.actor.typed.ActorRef;

/** The evaluator's messages: checkpoints to score ({@link CheckpointWritten}) and when it is idle. */
public interface EvaluatorProtocol {

  /** Everything the evaluator accepts. */
  interface Command {}

  /** Replies {@link Idle} once every checkpoint announced so far is evaluated (or skipped). */
  record WhenIdle(ActorRef<Idle> replyTo) implements Command, KryoMessage {}

  /**
   * @param evaluated checkpoints evaluated so far (the base included)
   * @param skipped intermediate checkpoints passed over because a newer one of the variant waited,
   *     or given up half done because the variant's last one arrived
   */
  record Idle(int evaluated, int skipped) implements KryoMessage {}
}
