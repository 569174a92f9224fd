package dev.longdpo.actors.critic;

import dev.longdpo.actors.metrics.NodeMeters;
import dev.longdpo.actors.backend.Critic;
import dev.longdpo.protocol.search.CriticProtocol;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * Hosts a {@link Critic}: compares a weak chosen step with siblings that beat it and answers with
 * suggestions. Stateless. Registers under {@link CriticProtocol#KEY}. (Named for its role; {@code
 * Critic} is the backend it hosts.)
 */
public final class CriticActor extends AbstractBehavior<CriticProtocol.Command> {

  private final Critic critic;

  /** A critic actor over {@code critic}. */
  public static Behavior<CriticProtocol.Command> create(Critic critic) {
    return create(critic, CriticProtocol.KEY);
  }

  /** A critic actor over {@code critic}, registered under {@code key}. */
  public static Behavior<CriticProtocol.Command> create(Critic critic, ServiceKey<CriticProtocol.Command> key) {
    return Behaviors.setup(ctx -> new CriticActor(ctx, critic, key));
  }

  private CriticActor(ActorContext<CriticProtocol.Command> ctx, Critic critic, ServiceKey<CriticProtocol.Command> key) {
    super(ctx);
    this.critic = critic;
    ctx.getSystem().receptionist().tell(Receptionist.register(key, ctx.getSelf()));
  }

  @Override
  public Receive<CriticProtocol.Command> createReceive() {
    return newReceiveBuilder().onMessage(CriticProtocol.Critique.class, this::onCritique).build();
  }

  private Behavior<CriticProtocol.Command> onCritique(CriticProtocol.Critique c) {
    long started = System.nanoTime();
    c.replyTo().tell(new CriticProtocol.Critiqued(
        critic.critique(c.task(), c.context(), c.chosen(), c.siblings(), c.maxSuggestions())));
    NodeMeters.timer("longdpo.critic.calls").record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    return this;
  }
}
