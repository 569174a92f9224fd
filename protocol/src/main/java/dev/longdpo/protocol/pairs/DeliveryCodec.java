package dev.longdpo.protocol.pairs;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.longdpo.protocol.WireCodec;
import dev.longdpo.protocol.internal.proto.PairBatchProto;
import dev.longdpo.protocol.internal.proto.PreferencePairProto;
import java.util.ArrayList;
import java.util.List;

/** Protobuf codec of {@link PairStreamProtocol.Delivery}. */
public final class DeliveryCodec implements WireCodec<PairStreamProtocol.Delivery> {

  @Override
  public Class<PairStreamProtocol.Delivery> type() {
    return PairStreamProtocol.Delivery.class;
  }

  @Override
  public byte[] toBytes(PairStreamProtocol.Delivery d) {
    PairBatchProto.Builder b = PairBatchProto.newBuilder().setFirstOffset(d.firstOffset()).setEndOfRun(d.endOfRun());
    d.pairs().forEach(p -> b.addPairs(PairCodec.toProto(p)));
    return b.build().toByteArray();
  }

  @Override
  public PairStreamProtocol.Delivery fromBytes(byte[] bytes) throws InvalidProtocolBufferException {
    PairBatchProto p = PairBatchProto.parseFrom(bytes);
    List<PreferencePair> pairs = new ArrayList<>();
    for (PreferencePairProto x : p.getPairsList()) {
      pairs.add(PairCodec.fromProto(x));
    }
    return new PairStreamProtocol.Delivery(p.getFirstOffset(), pairs, p.getEndOfRun());
  }
}
