package dev.longdpo.actors;

import dev.longdpo.actors.backend.Critic;
import dev.longdpo.actors.backend.Judge;
import dev.longdpo.actors.backend.Policy;
import dev.longdpo.actors.critic.CriticActor;
import dev.longdpo.actors.reward.Reward;
import dev.longdpo.actors.searchnode.SearchNode;
import dev.longdpo.protocol.search.WorkerKeys;
import java.util.List;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A node's worker guardian: spawns search nodes (one per policy), reward and critic actors, each
 * registering itself with the receptionist so coordinators anywhere in the cluster find them.
 * Workers restart on failure; a search node keeps its policy (and cache) across restarts.
 */
public final class Workers {

  /** What one node contributes. */
  public record Spec(List<Supplier<Policy>> policies, int rewards, Supplier<Judge> judge, int critics, Supplier<Critic> critic) {}

  private Workers() {}

  /** The guardian behavior. */
  public static Behavior<Void> create(Spec spec, ActorsSettings settings) {
    return create(spec, settings, WorkerKeys.DEFAULT, SearchNode.Hold.NEVER);
  }

  /**
   * The guardian of one run's workers, registered under {@code keys}.
   *
   * @param hold the search nodes' fault-injection hook ({@link SearchNode.Hold#NEVER} but in tests)
   */
  public static Behavior<Void> create(Spec spec, ActorsSettings settings, WorkerKeys keys, SearchNode.Hold hold) {
    return Behaviors.setup(
        ctx -> {
          DispatcherSelector blocking = DispatcherSelector.fromConfig(ActorsSettings.BLOCKING_DISPATCHER);
          for (int i = 0; i < spec.policies().size(); i++) {
            Policy policy = spec.policies().get(i).get();
            ctx.spawn(
                Behaviors.supervise(SearchNode.create(policy, settings, keys.searchNodes(), hold)).onFailure(SupervisorStrategy.restart()),
                "search-node-" + i);
          }
          for (int i = 0; i < spec.rewards(); i++) {
            Judge judge = spec.judge().get();
            var reward = Behaviors.supervise(Reward.create(judge, keys.rewards())).onFailure(SupervisorStrategy.restart());
            if (settings.blockingRewards()) {
              ctx.spawn(reward, "reward-" + i, blocking);
            } else {
              ctx.spawn(reward, "reward-" + i);
            }
          }
          for (int i = 0; i < spec.critics(); i++) {
            Critic critic = spec.critic().get();
            ctx.spawn(Behaviors.supervise(CriticActor.create(critic, keys.critics())).onFailure(SupervisorStrategy.restart()), "critic-" + i, blocking);
          }
          return Behaviors.empty();
        });
  }
}
