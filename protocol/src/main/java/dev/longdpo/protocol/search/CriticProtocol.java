package dev.longdpo.protocol.search;

import dev.longdpo.protocol.KryoMessage;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/** Messages of critic actors, which compare a weak step with better siblings. */
public interface CriticProtocol {

  /** Critic actors register under this key. */
  ServiceKey<Command> KEY = ServiceKey.create(Command.class, "longdpo-critic");

  /** What a critic accepts. */
  interface Command extends KryoMessage {}

  /** A step under review. */
  record Reviewed(String text, StepScore score, boolean endsAnswer) {}

  /** Critique {@code chosen} against siblings that beat it; answered with {@link Critiqued}. */
  record Critique(TaskSpec task, String context, Reviewed chosen, List<Reviewed> siblings, int maxSuggestions,
      ActorRef<Critiqued> replyTo) implements Command {
    /** Copies the list. */
    public Critique {
      siblings = List.copyOf(siblings);
    }
  }

  /** The suggestions, most confident first (possibly none). */
  record Critiqued(List<Guidance> suggestions) implements KryoMessage {
    /** Copies the list. */
    public Critiqued {
      suggestions = List.copyOf(suggestions);
    }
  }
}
