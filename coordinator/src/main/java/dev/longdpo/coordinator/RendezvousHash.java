package dev.longdpo.coordinator;

import java.nio.charset.StandardCharsets;

/**
 * Rendezvous (highest random weight) hashing: a key goes to the node with the highest weight of
 * (key, node). Removing a node moves only the keys it held; adding one takes keys from every node
 * evenly. Weights depend on the strings alone, so every JVM maps alike.
 */
public final class RendezvousHash {

  private RendezvousHash() {}

  /** The weight of {@code key} on {@code node}: 64-bit FNV-1a of both, then a SplitMix finaliser. */
  public static long weight(String key, String node) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    h = (h ^ 0xff) * 0x100000001b3L; // a separator: ("ab","c") and ("a","bc") differ
    for (byte b : node.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    h ^= h >>> 30;
    h *= 0xbf58476d1ce4e5b9L;
    h ^= h >>> 27;
    h *= 0x94d049bb133111ebL;
    h ^= h >>> 31;
    return h;
  }
}
