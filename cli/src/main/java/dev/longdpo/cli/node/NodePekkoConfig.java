package dev.longdpo.cli.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A node's Pekko configuration: its own address and roles over the user's pekko keys over node.conf. */
final class NodePekkoConfig {

  private NodePekkoConfig() {}

  /** Pekko's settings for this node: node.conf under the user's configuration, then the node's own. */
  static Config of(NodeSettings node, Config config) {
    List<String> seeds = new ArrayList<>();
    for (String s : node.seedNodes()) {
      seeds.add("pekko://longdpo@" + s);
    }
    Config own = ConfigFactory.empty()
        .withValue("pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(node.hostname()))
        .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(node.port()))
        .withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(node.roles()))
        .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seeds))
        .withValue(BuildCompatCheck.KEY, ConfigValueFactory.fromAnyRef(BuildId.of(config)))
        .withValue("pekko.management.http.hostname", ConfigValueFactory.fromAnyRef(node.managementHost()))
        .withValue("pekko.management.http.port", ConfigValueFactory.fromAnyRef(Math.max(0, node.managementPort())));
    if (node.tls().isPresent()) {
      own = own.withFallback(node.tls().get().pekko());
    }
    Config nodeConf = ConfigFactory.parseResources("node.conf");
    // The user's own pekko settings (--config, --set, -D) win over node.conf.
    return own.withFallback(userPekko(config)).withFallback(nodeConf).withFallback(config).resolve();
  }

  /** The pekko keys the user set (system properties, --config, --set), not the defaults'. */
  private static Config userPekko(Config config) {
    Config defaults = ConfigFactory.defaultApplication().withFallback(ConfigFactory.defaultReference()).resolve();
    Config out = ConfigFactory.empty();
    if (!config.hasPath("pekko")) {
      return out;
    }
    for (Map.Entry<String, ConfigValue> e : config.getConfig("pekko").entrySet()) {
      String key = "pekko." + e.getKey();
      if (!defaults.hasPath(key) || !defaults.getValue(key).equals(e.getValue())) {
        out = out.withValue(key, e.getValue());
      }
    }
    return out;
  }
}
