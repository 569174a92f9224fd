package dev.longdpo.protocol;

/**
 * A message serialized with Kryo: fast, but only between nodes of the same build and never stored.
 * Every class that can appear inside one (the message, its fields' classes) is registered with a
 * fixed id under {@code longdpo.protocol.kryo-registrations}.
 */
public interface KryoMessage {}
