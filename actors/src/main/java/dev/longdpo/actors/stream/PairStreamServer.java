package dev.longdpo.actors.stream;

import dev.longdpo.protocol.pairs.PairCodec;
import dev.longdpo.protocol.pairs.PairStreamProtocol;
import dev.longdpo.protocol.pairs.PreferencePair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The serving side of the pair stream, for the actor that owns the pairs (the coordinator, or a
 * replay of a finished run): subscribers with their offsets and credit; {@link #deliver} sends each
 * what it asked for and what exists, and the end of the run once it has everything. Confined to
 * its actor.
 */
public final class PairStreamServer {

  private record Subscriber(ActorRef<PairStreamProtocol.Delivery> consumer, long next, long credit) {}

  /**
   * The most a delivery carries, in serialized pair bytes: under Artery's default frame (256 KiB)
   * with room for the envelope, so a delivery to another node is never refused for its size. A
   * single pair above it still goes alone (part 2 routes such messages over the large-message
   * channel).
   */
  public static final int DEFAULT_MAX_DELIVERY_BYTES = 192 * 1024;

  private final Map<String, Subscriber> subscribers = new HashMap<>();
  private final int maxDeliveryBytes;

  /** A server whose deliveries stay under {@link #DEFAULT_MAX_DELIVERY_BYTES}. */
  public PairStreamServer() {
    this(DEFAULT_MAX_DELIVERY_BYTES);
  }

  /** A server whose deliveries carry at most {@code maxDeliveryBytes} of pairs (at least one pair). */
  public PairStreamServer(int maxDeliveryBytes) {
    this.maxDeliveryBytes = maxDeliveryBytes;
  }

  /** Starts (or restarts, from another offset) a subscription; it has no credit yet. */
  public void subscribe(PairStreamProtocol.Subscribe s) {
    subscribers.put(s.subscriberId(), new Subscriber(s.consumer(), Math.max(0, s.fromOffset()), 0));
  }

  /** Adds credit; unknown subscribers are ignored (they left, or the owner restarted). */
  public void request(PairStreamProtocol.Request r) {
    Subscriber s = subscribers.get(r.subscriberId());
    if (s != null) {
      subscribers.put(r.subscriberId(), new Subscriber(s.consumer(), s.next(), s.credit() + r.count()));
    }
  }

  /** Ends a subscription. */
  public void unsubscribe(PairStreamProtocol.Unsubscribe u) {
    subscribers.remove(u.subscriberId());
  }

  /**
   * Sends every subscriber what it asked for and what exists.
   *
   * @param pairs every pair in log order (offsets index it)
   * @param finished whether no more pairs will come: a subscriber that has them all gets the end
   */
  public void deliver(List<PreferencePair> pairs, boolean finished) {
    for (Map.Entry<String, Subscriber> e : subscribers.entrySet()) {
      Subscriber s = e.getValue();
      long available = Math.max(0, pairs.size() - s.next());
      int n = (int) Math.min(s.credit(), available);
      boolean end = finished && s.next() + n >= pairs.size();
      if (n > 0 || (end && s.credit() > 0)) {
        int from = (int) Math.min(s.next(), pairs.size());
        // Split by bytes: each delivery holds pairs up to the bound (one at least), in order; only
        // the last says the run ended. Each pair is fetched once (the list may read the log).
        List<PreferencePair> chunk = new ArrayList<>();
        long bytes = 0;
        long first = s.next();
        for (int i = from; i < from + n; i++) {
          PreferencePair p = pairs.get(i);
          long size = PairCodec.toProto(p).getSerializedSize();
          if (!chunk.isEmpty() && bytes + size > maxDeliveryBytes) {
            s.consumer().tell(new PairStreamProtocol.Delivery(first, chunk, false));
            first += chunk.size();
            chunk = new ArrayList<>();
            bytes = 0;
          }
          chunk.add(p);
          bytes += size;
        }
        s.consumer().tell(new PairStreamProtocol.Delivery(first, chunk, end));
        e.setValue(new Subscriber(s.consumer(), s.next() + n, end ? 0 : s.credit() - n));
      }
    }
  }
}
