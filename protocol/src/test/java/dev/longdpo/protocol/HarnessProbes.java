package dev.longdpo.protocol;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.longdpo.protocol.internal.proto.test.HarnessProbeProto;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/** Test-only messages registered in this module's test configuration. */
final class HarnessProbes {

  private HarnessProbes() {}

  record WireProbe(String text, List<Integer> ids) implements WireMessage {
    WireProbe {
      ids = List.copyOf(ids);
    }
  }

  /** The codec of {@link WireProbe}. */
  public static final class WireProbeCodec implements WireCodec<WireProbe> {
    @Override
    public Class<WireProbe> type() {
      return WireProbe.class;
    }

    @Override
    public byte[] toBytes(WireProbe m) {
      return HarnessProbeProto.newBuilder().setText(m.text()).addAllIds(m.ids()).build().toByteArray();
    }

    @Override
    public WireProbe fromBytes(byte[] bytes) throws InvalidProtocolBufferException {
      HarnessProbeProto p = HarnessProbeProto.parseFrom(bytes);
      return new WireProbe(p.getText(), p.getIdsList());
    }
  }

  record KryoProbe(String name, List<String> tags, ActorRef<String> replyTo) implements KryoMessage {
    KryoProbe {
      tags = List.copyOf(tags);
    }
  }

  record Unregistered(String name) implements KryoMessage {}

  record PlainSerializable(String name) implements java.io.Serializable {}
}
