package dev.longdpo.cli.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;

/**
 * What two nodes must share to talk: the wire tables (Kryo registrations, Protobuf codecs by
 * manifest) and the program version. Its hash is the node's build id.
 */
final class BuildId {

  private BuildId() {}

  static String of(Config config) {
    StringBuilder text = new StringBuilder();
    for (String table : new String[] {"longdpo.protocol.kryo-registrations", "longdpo.protocol.wire-codecs"}) {
      // Sorted, so that the order of merged reference.conf files does not matter.
      TreeMap<String, String> sorted = new TreeMap<>();
      config.getConfig(table).root().forEach((k, v) -> sorted.put(k, v.render(ConfigRenderOptions.concise())));
      text.append(table).append(sorted).append('\n');
    }
    String version = BuildId.class.getPackage().getImplementationVersion();
    text.append(version == null ? "dev" : version);
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
