package dev.longdpo.protocol.search;

import dev.longdpo.protocol.KryoMessage;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/** Messages of search-node actors, which host the policy and expand tree nodes in batches. */
public interface SearchNodeProtocol {

  /** Search nodes register under this key with the receptionist. */
  ServiceKey<Command> KEY = ServiceKey.create(Command.class, "longdpo-search-node");

  /** What a search node accepts. */
  interface Command extends KryoMessage {}

  /** Sample steps after a node; answered with {@link Expanded}. */
  record Expand(ExpandJob job, ActorRef<Expanded> replyTo) implements Command {}

  /** The samples of one job, in order. */
  record Expanded(String nodeKey, List<StepSample> samples) implements KryoMessage {
    /** Copies the list. */
    public Expanded {
      samples = List.copyOf(samples);
    }
  }

  /** Drop every cached state of a tree (it is finished). */
  record Forget(String treeId) implements Command {}
}
