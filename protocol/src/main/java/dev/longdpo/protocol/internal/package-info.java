/** The Pekko serializers behind {@code WireMessage} and {@code KryoMessage}. */
package dev.longdpo.protocol.internal;
