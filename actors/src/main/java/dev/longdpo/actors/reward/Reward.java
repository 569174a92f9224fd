package dev.longdpo.actors.reward;

import dev.longdpo.actors.metrics.NodeMeters;
import dev.longdpo.actors.backend.Judge;
import dev.longdpo.protocol.search.RewardProtocol;
import dev.longdpo.protocol.search.StepScore;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * Hosts a {@link Judge} and scores candidate steps. Stateless: a restart loses nothing. Spawn it on
 * the blocking dispatcher when the judge is slow (an LLM endpoint); the rule judge takes
 * milliseconds. Registers under {@link RewardProtocol#KEY}.
 */
public final class Reward extends AbstractBehavior<RewardProtocol.Command> {

  private final Judge judge;

  /** A reward actor over {@code judge}. */
  public static Behavior<RewardProtocol.Command> create(Judge judge) {
    return create(judge, RewardProtocol.KEY);
  }

  /** A reward actor over {@code judge}, registered under {@code key}. */
  public static Behavior<RewardProtocol.Command> create(Judge judge, ServiceKey<RewardProtocol.Command> key) {
    return Behaviors.setup(ctx -> new Reward(ctx, judge, key));
  }

  private Reward(ActorContext<RewardProtocol.Command> ctx, Judge judge, ServiceKey<RewardProtocol.Command> key) {
    super(ctx);
    this.judge = judge;
    ctx.getSystem().receptionist().tell(Receptionist.register(key, ctx.getSelf()));
  }

  @Override
  public Receive<RewardProtocol.Command> createReceive() {
    return newReceiveBuilder().onMessage(RewardProtocol.Score.class, this::onScore).build();
  }

  private Behavior<RewardProtocol.Command> onScore(RewardProtocol.Score s) {
    List<StepScore> scores = new ArrayList<>();
    long started = System.nanoTime();
    for (RewardProtocol.Candidate c : s.candidates()) {
      scores.add(judge.score(s.task(), s.context(), c.text(), c.endsAnswer()));
    }
    NodeMeters.timer("longdpo.judge.calls").record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    s.replyTo().tell(new RewardProtocol.Scored(scores));
    return this;
  }
}
