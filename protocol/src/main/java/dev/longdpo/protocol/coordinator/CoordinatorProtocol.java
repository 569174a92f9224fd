package dev.longdpo.protocol.coordinator;

import dev.longdpo.protocol.KryoMessage;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The coordinator's public messages. The pair stream's messages ({@code PairStreamProtocol}) are
 * commands too; the coordinator's private messages extend {@link Command} in its own module.
 */
public interface CoordinatorProtocol {

  /** Everything a coordinator accepts. */
  interface Command {}

  /** Where the run stands. */
  record GetProgress(ActorRef<RunProgress> replyTo) implements Command, KryoMessage {}

  /**
   * A snapshot of a run.
   *
   * @param prompts prompts in the run
   * @param completed prompts whose search finished (earlier sessions included)
   * @param inFlight trees being searched now
   * @param pairs pairs recorded (earlier sessions included)
   * @param failed trees that failed this session (retried by a resume)
   * @param finished whether every prompt is done
   * @param expansionsStarted expansion requests sent by this coordinator (retries included)
   */
  record RunProgress(int prompts, int completed, int inFlight, long pairs, int failed, boolean finished,
      long expansionsStarted)
      implements KryoMessage {}

  /** Stop searching: in-flight trees are abandoned (a resume reruns them), the log is flushed. */
  enum Stop implements Command, KryoMessage {
    /** The one instance. */
    INSTANCE
  }
}
