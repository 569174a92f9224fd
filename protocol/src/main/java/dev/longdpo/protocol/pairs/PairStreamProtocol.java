package dev.longdpo.protocol.pairs;

import dev.longdpo.protocol.KryoMessage;
import dev.longdpo.protocol.WireMessage;
import dev.longdpo.protocol.coordinator.CoordinatorProtocol;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The pair stream from the coordinator to its subscribers (trainers), with flow control: a
 * subscriber says from which offset it wants pairs and how many it can take; the coordinator never
 * sends more than was asked for. Offsets count pairs in log order, so a subscriber that checkpoints
 * its offset resumes exactly where it stopped. Deliveries answering credit of an earlier
 * subscription may still arrive after a restart: a subscriber keeps only those that start at the
 * offset it expects next.
 */
public interface PairStreamProtocol {

  /** Start (or restart) a subscription at {@code fromOffset}. */
  record Subscribe(String subscriberId, long fromOffset, ActorRef<Delivery> consumer)
      implements CoordinatorProtocol.Command, KryoMessage {}

  /** Permission to send {@code count} more pairs. */
  record Request(String subscriberId, int count) implements CoordinatorProtocol.Command, KryoMessage {}

  /** Leave the stream. */
  record Unsubscribe(String subscriberId) implements CoordinatorProtocol.Command, KryoMessage {}

  /**
   * Pairs starting at {@code firstOffset}; {@code endOfRun} once the search is over and every pair
   * was delivered.
   */
  record Delivery(long firstOffset, List<PreferencePair> pairs, boolean endOfRun) implements WireMessage {
    /** Copies the list. */
    public Delivery {
      pairs = List.copyOf(pairs);
    }
  }
}
