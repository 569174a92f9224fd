package dev.longdpo.protocol.search;

import dev.longdpo.protocol.KryoMessage;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/** Messages of reward actors, which host the judge. */
public interface RewardProtocol {

  /** Reward actors register under this key. */
  ServiceKey<Command> KEY = ServiceKey.create(Command.class, "longdpo-reward");

  /** What a reward actor accepts. */
  interface Command extends KryoMessage {}

  /** A candidate step: its text and whether it ends the answer. */
  record Candidate(String text, boolean endsAnswer) {}

  /** Score candidate steps after {@code context}; answered with {@link Scored}. */
  record Score(TaskSpec task, String context, List<Candidate> candidates, ActorRef<Scored> replyTo) implements Command {
    /** Copies the list. */
    public Score {
      candidates = List.copyOf(candidates);
    }
  }

  /** One score per candidate, in order. */
  record Scored(List<StepScore> scores) implements KryoMessage {
    /** Copies the list. */
    public Scored {
      scores = List.copyOf(scores);
    }
  }
}
