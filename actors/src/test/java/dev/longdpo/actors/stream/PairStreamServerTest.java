package dev.longdpo.actors.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.longdpo.protocol.ProtocolSamples;
import dev.longdpo.protocol.SerializationHarness;
import dev.longdpo.protocol.pairs.PairCodec;
import dev.longdpo.protocol.pairs.PairStreamProtocol;
import dev.longdpo.protocol.pairs.PreferencePair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Deliveries stay under the frame a remote subscriber can receive: split by bytes, in order, the
 * end of the run on the last one only.
 */
class PairStreamServerTest {

  static final ActorTestKit kit = ActorTestKit.create("pair-stream", ConfigFactory.load("application-test.conf"));

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  /**
   * A realistic worst case: the last pairs of a 20,000-word answer (about 30,000 tokens of prefix
   * and its text), each near 200 KB serialized.
   */
  private static PreferencePair longAnswerPair(int depth) {
    PreferencePair p = ProtocolSamples.samplePair(depth);
    int[] prefix = new int[30_000];
    Arrays.setAll(prefix, i -> 3 + (i * 7919) % 1400);
    String text = "A sentence of the long answer goes on here. ".repeat(2_700);
    return new PreferencePair(p.pairId(), p.runId(), p.promptId(), depth, p.prompt(), p.prefixText() + text,
        prefix, p.chosen(), p.rejected(), p.critiqueApplied(), p.policyVersion(), p.rejectedVetoed(), p.promptPairs());
  }

  @Test
  void deliveriesAreSplitByBytesAndKeepTheirOrder() {
    List<PreferencePair> pairs = new ArrayList<>();
    for (int d = 1; d <= 5; d++) {
      pairs.add(longAnswerPair(d));
    }
    for (int d = 6; d <= 30; d++) {
      pairs.add(ProtocolSamples.samplePair(d));
    }
    long one = PairCodec.toProto(pairs.get(0)).getSerializedSize();
    assertThat(one).as("a worst-case pair").isBetween(150_000L, PairStreamServer.DEFAULT_MAX_DELIVERY_BYTES + 0L);

    PairStreamServer server = new PairStreamServer();
    TestProbe<PairStreamProtocol.Delivery> consumer = kit.createTestProbe();
    server.subscribe(new PairStreamProtocol.Subscribe("t", 0, consumer.getRef()));
    server.request(new PairStreamProtocol.Request("t", 100));
    server.deliver(pairs, true);

    List<PreferencePair> received = new ArrayList<>();
    long next = 0;
    boolean ended = false;
    while (!ended) {
      PairStreamProtocol.Delivery d = consumer.receiveMessage(Duration.ofSeconds(5));
      assertThat(d.firstOffset()).isEqualTo(next);
      long bytes = d.pairs().stream().mapToLong(p -> PairCodec.toProto(p).getSerializedSize()).sum();
      assertThat(bytes).as("delivery at %d", d.firstOffset()).isLessThanOrEqualTo(PairStreamServer.DEFAULT_MAX_DELIVERY_BYTES);
      // Each one crosses a node boundary as it is.
      assertThat(SerializationHarness.roundTrip(kit.system(), d)).isEqualTo(d);
      received.addAll(d.pairs());
      next += d.pairs().size();
      ended = d.endOfRun();
    }
    consumer.expectNoMessage(Duration.ZERO);
    assertThat(received).isEqualTo(pairs);
    assertThat(next).isEqualTo(30);
  }

  @Test
  void aPairAboveTheBoundGoesAlone() {
    List<PreferencePair> pairs = List.of(ProtocolSamples.samplePair(1), longAnswerPair(2), ProtocolSamples.samplePair(3));
    PairStreamServer server = new PairStreamServer(1_000);
    TestProbe<PairStreamProtocol.Delivery> consumer = kit.createTestProbe();
    server.subscribe(new PairStreamProtocol.Subscribe("t", 0, consumer.getRef()));
    server.request(new PairStreamProtocol.Request("t", 3));
    server.deliver(pairs, false);
    assertThat(consumer.receiveMessage().pairs()).containsExactly(pairs.get(0));
    assertThat(consumer.receiveMessage().pairs()).containsExactly(pairs.get(1));
    PairStreamProtocol.Delivery last = consumer.receiveMessage();
    assertThat(last.pairs()).containsExactly(pairs.get(2));
    assertThat(last.endOfRun()).isFalse();
  }
}
