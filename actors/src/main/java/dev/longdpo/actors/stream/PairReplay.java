package dev.longdpo.actors.stream;

import dev.longdpo.protocol.coordinator.CoordinatorProtocol;
import dev.longdpo.protocol.pairs.PairStreamProtocol;
import dev.longdpo.protocol.pairs.PreferencePair;
import dev.longdpo.protocol.training.CheckpointWritten;
import java.util.List;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Serves the pair stream of a finished run (a pair log, or outcome pairs) with the coordinator's
 * protocol, so a trainer consumes a recorded run exactly as it consumes a live search.
 */
public final class PairReplay {

  private PairReplay() {}

  /** Serves {@code pairs}, already complete. */
  public static Behavior<CoordinatorProtocol.Command> create(List<PreferencePair> pairs) {
    List<PreferencePair> all = List.copyOf(pairs);
    return Behaviors.setup(ctx -> {
      PairStreamServer server = new PairStreamServer();
      return Behaviors.receive(CoordinatorProtocol.Command.class)
          .onMessage(PairStreamProtocol.Subscribe.class, s -> {
            server.subscribe(s);
            return Behaviors.same();
          })
          .onMessage(PairStreamProtocol.Request.class, r -> {
            server.request(r);
            server.deliver(all, true);
            return Behaviors.same();
          })
          .onMessage(PairStreamProtocol.Unsubscribe.class, u -> {
            server.unsubscribe(u);
            return Behaviors.same();
          })
          .onMessage(CoordinatorProtocol.GetProgress.class, g -> {
            g.replyTo().tell(new CoordinatorProtocol.RunProgress(0, 0, 0, all.size(), 0, true, 0));
            return Behaviors.same();
          })
          .onMessage(CheckpointWritten.class, c -> Behaviors.same())
          .onMessageEquals(CoordinatorProtocol.Stop.INSTANCE, Behaviors::stopped)
          .build();
    });
  }
}
