package dev.longdpo.protocol.cluster;

import dev.longdpo.protocol.KryoMessage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * Messages of an evaluator host: the actor on every {@code evaluator} node that scores the
 * checkpoints of the active run. The run manager finds hosts through the receptionist and gives a
 * run to one of them. A checkpoint is identified by run, variant, step and weights hash; its
 * evaluation is written once, to {@code <run>/eval/<checkpoint>-<hash12>.json}, and an
 * evaluation on disk is never done again (a checkpoint rewritten with other weights after a
 * resume is a new one).
 */
public interface EvaluatorHostProtocol {

  /** Evaluator hosts register under this key. */
  ServiceKey<Command> KEY = ServiceKey.create(Command.class, "longdpo-evaluator-host");

  /** What an evaluator host accepts (its node's own messages too: those never leave the node). */
  interface Command {}

  /**
   * Evaluate run {@code runId}: the base and every checkpoint under {@code <run>/checkpoints/}
   * without an evaluation on disk (those written while no evaluator ran too), then each one
   * announced. Idempotent.
   */
  record Evaluate(String runId, String runDir, String rootToken, ActorRef<EvaluatorReport> replyTo)
      implements Command, KryoMessage {}

  /**
   * A checkpoint of the run was written.
   *
   * @param path the checkpoint's directory relative to the run root ({@code runs/<id>/checkpoints/<name>})
   * @param last whether it is its variant's final checkpoint (never skipped)
   */
  record Checkpoint(String runId, String variant, String name, String path, long step, boolean last)
      implements Command, KryoMessage {}

  /** Stop evaluating run {@code runId}. */
  record StopEvaluating(String runId) implements Command, KryoMessage {}

  /**
   * An evaluation done (or failed).
   *
   * @param checkpoint the checkpoint's name ({@code base} for the base model)
   * @param weightsSha256 the identity's weights hash
   * @param record the evaluation's file, relative to the run directory
   * @param failure empty when it succeeded
   */
  record EvaluatorReport(String runId, String node, String variant, String checkpoint, long step, boolean last,
      String weightsSha256, double sl, double sq, String record, String failure) implements KryoMessage {}
}
