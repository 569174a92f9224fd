package dev.longdpo.protocol.pairs;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.longdpo.protocol.WireCodec;
import dev.longdpo.protocol.internal.proto.PreferencePairProto;

/** Protobuf codec of a single {@link PreferencePair} message. */
public final class PreferencePairCodec implements WireCodec<PreferencePair> {

  @Override
  public Class<PreferencePair> type() {
    return PreferencePair.class;
  }

  @Override
  public byte[] toBytes(PreferencePair p) {
    return PairCodec.toProto(p).toByteArray();
  }

  @Override
  public PreferencePair fromBytes(byte[] bytes) throws InvalidProtocolBufferException {
    return PairCodec.fromProto(PreferencePairProto.parseFrom(bytes));
  }
}
