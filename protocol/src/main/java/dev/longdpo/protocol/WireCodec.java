package dev.longdpo.protocol;

/**
 * Converts one {@link WireMessage} type to and from Protobuf bytes.
 *
 * <p>Implementations need a public no-argument constructor; they are listed in configuration
 * under a short manifest that is written with every message and must never change.
 *
 * @param <T> the message type
 */
public interface WireCodec<T extends WireMessage> {

  /** The message type this codec handles. */
  Class<T> type();

  /** Encodes a message. */
  byte[] toBytes(T message);

  /** Decodes bytes written by {@link #toBytes}; throws on malformed input. */
  T fromBytes(byte[] bytes) throws java.io.IOException;
}
