package dev.longdpo.cli.node;

import com.typesafe.config.Config;
import dev.longdpo.config.SettingsException;
import dev.longdpo.config.Validate;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A node's settings, {@code longdpo.node} (see the coordinator's reference.conf), checked.
 *
 * @param token the control token, when a token file is set
 */
record NodeSettings(List<String> roles, String hostname, int port, List<String> seedNodes, String controlHost,
    int controlPort, String metricsHost, int metricsPort, String managementHost, int managementPort, boolean bootstrap, java.util.Optional<String> token, Path runRoot, Duration joinTimeout, String hookRun,
    int holdAfterExpansions, int holdAtTrainerStep, String holdTrainerVariant, int holdAfterEvaluations, java.util.Optional<NodeTls> tls) {

  static final Set<String> ROLES = Set.of("coordinator", "search", "trainer", "evaluator");

  static NodeSettings create(Config c) {
    String p = "longdpo.node.";
    List<String> roles = c.getStringList(p + "roles");
    if (roles.isEmpty()) {
      throw new SettingsException(p + "roles", p + "roles: give at least one of " + ROLES + " (--roles)");
    }
    for (String r : roles) {
      if (!ROLES.contains(r)) {
        throw new SettingsException(p + "roles", p + "roles: unknown role '" + r + "' (known: " + ROLES + ")");
      }
    }
    for (String s : c.getStringList(p + "seed-nodes")) {
      if (!s.matches("[^:\\s]+:\\d{1,5}")) {
        throw new SettingsException(p + "seed-nodes", p + "seed-nodes: '" + s + "' is not host:port");
      }
    }
    String tokenFile = c.getString(p + "token-file");
    java.util.Optional<String> token = java.util.Optional.empty();
    if (!tokenFile.isEmpty()) {
      try {
        String t = java.nio.file.Files.readString(Path.of(tokenFile)).trim();
        if (t.length() < 16) {
          throw new SettingsException(p + "token-file", tokenFile + ": a token needs at least 16 characters");
        }
        token = java.util.Optional.of(t);
      } catch (java.io.IOException e) {
        throw new SettingsException(p + "token-file", tokenFile + ": cannot be read: " + e.getMessage());
      }
    }
    String controlHost = c.getString(p + "control-host");
    if (token.isEmpty() && !isLoopback(controlHost)) {
      throw new SettingsException(p + "control-host", p + "control-host " + controlHost
          + " is not a loopback address: the control port then needs a token (--token-file FILE)");
    }
    return new NodeSettings(roles, c.getString(p + "hostname"), Validate.intInRange(c, p + "port", 0, 65535),
        c.getStringList(p + "seed-nodes"), controlHost, Validate.intInRange(c, p + "control-port", 0, 65535),
        c.getString(p + "metrics-host"), Validate.intInRange(c, p + "metrics-port", -1, 65535),
        c.getString(p + "management-host"), Validate.intInRange(c, p + "management-port", -1, 65535),
        bootstrap(c, p), token,
        Validate.path(c, p + "run-root"), Validate.positiveDuration(c, p + "join-timeout"),
        c.getString(p + "hooks.run"), Validate.intInRange(c, p + "hooks.hold-after-expansions", 0, 1_000_000),
        Validate.intInRange(c, p + "hooks.hold-at-trainer-step", 0, 1_000_000),
        c.getString(p + "hooks.hold-trainer-variant"),
        Validate.intInRange(c, p + "hooks.hold-after-evaluations", 0, 1_000_000),
        NodeTls.create(c, isLoopback(c.getString(p + "hostname")), c.getString(p + "hostname")));
  }

  /** Cluster Bootstrap: instead of seed nodes, and over the management endpoint its contact points use. */
  private static boolean bootstrap(Config c, String p) {
    boolean on = Validate.bool(c, p + "bootstrap");
    if (on && !c.getStringList(p + "seed-nodes").isEmpty()) {
      throw new SettingsException(p + "bootstrap", p + "bootstrap = on finds the nodes itself: give no seed-nodes");
    }
    if (on && c.getInt(p + "management-port") < 0) {
      throw new SettingsException(p + "bootstrap", p + "bootstrap = on needs the management endpoint (management-port"
          + " 0 or more): its contact points are other nodes' management endpoints");
    }
    return on;
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
