package dev.longdpo.protocol.cluster;

import dev.longdpo.protocol.KryoMessage;
import dev.longdpo.protocol.coordinator.CoordinatorProtocol;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * Messages of a trainer host: the actor on every {@code trainer} node that runs the gpu-workers the
 * run manager assigns to it. A variant of the active run is trained by one host at a time; each
 * assignment has a number, increasing, recorded in the run directory before the host is told, so a
 * host that was replaced (its node thought lost) notices before it writes a checkpoint and stops.
 */
public interface TrainerHostProtocol {

  /** Trainer hosts register under this key. */
  ServiceKey<Command> KEY = ServiceKey.create(Command.class, "longdpo-trainer-host");

  /** What a trainer host accepts (its node's own messages too: those never leave the node). */
  interface Command {}

  /**
   * Train {@code variant} of run {@code runId} from its latest checkpoint in the run directory (or
   * from the run's base). Idempotent: a host already training this assignment only takes the
   * stream, which may be a new actor (the run manager moved) and is subscribed to again from the
   * worker's offset.
   *
   * @param assignment this assignment's number (see {@code TrainerAssignment})
   * @param prompts the run's prompt count (a live stream's first start estimates the schedule
   *     from it)
   * @param replayPairs the pairs of a stream that is complete from the start (the replay of the
   *     outcome baseline's log): the schedule's length follows from them exactly; 0 for a live
   *     search's stream
   * @param replayTokens their chosen + rejected tokens, all together
   * @param tokenBudget chosen + rejected tokens to train on, replaying the stream as often as
   *     needed (the outcome baseline's budget); 0: the settings' epochs
   * @param rootToken the run root's marker token (a host that sees another root refuses)
   * @param stream the actor serving the variant's pair stream (the run's coordinator, or the
   *     replay of the outcome baseline's pair log)
   * @param paused whether the run is paused (no steps until resumed)
   */
  record Train(String runId, String runDir, String variant, long assignment, int prompts, long replayPairs,
      long replayTokens, long tokenBudget, String rootToken, ActorRef<CoordinatorProtocol.Command> stream, boolean paused, ActorRef<TrainerReport> replyTo)
      implements Command, KryoMessage {}

  /** Stop training {@code variant} of run {@code runId} (the run ended, or it moved elsewhere). */
  record StopTraining(String runId, String variant) implements Command, KryoMessage {}

  /** Pause or resume every worker of run {@code runId}: no step starts while paused. */
  record SetPaused(String runId, boolean paused) implements Command, KryoMessage {}

  /** What a report says. */
  enum Kind {
    /** The worker started; step and offset are where it resumed (0 for a fresh start). */
    STARTED,
    /** One optimizer step. */
    STEPPED,
    /** A checkpoint was written ({@code checkpoint} names it, relative to the run directory). */
    CHECKPOINTED,
    /** Training is complete: the last checkpoint is {@code checkpoint}. */
    FINISHED,
    /** Training stopped with an error ({@code message}); the last checkpoint is intact. */
    FAILED
  }

  /**
   * A trainer's report to the run manager.
   *
   * @param node the trainer node's address
   * @param offset the stream offset the worker's next pair has
   * @param lossOrNaN the step's loss ({@code STEPPED}), else NaN
   */
  record TrainerReport(String runId, String variant, long assignment, String node, Kind kind, long step, long offset,
      int epoch, double lossOrNaN, String checkpoint, String message) implements KryoMessage {}
}
