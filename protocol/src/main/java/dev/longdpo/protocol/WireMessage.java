package dev.longdpo.protocol;

/**
 * A message serialized with Protobuf: its format is versioned in {@code protocol/src/main/proto}
 * and may be stored or read by another build. Each implementation has a {@link WireCodec}
 * registered under {@code longdpo.protocol.wire-codecs}.
 */
public interface WireMessage {}
