package dev.longdpo.cli.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.longdpo.config.SettingsException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;

/**
 * Artery over TLS with mutual authentication ({@code longdpo.node.tls}): this node's key store
 * (its key and certificate), the trust store of the certificates it accepts (the key store itself
 * when every node shares one) and a password file. A node that binds to an address other nodes can
 * reach from elsewhere (not loopback) must have one: the cluster's messages would otherwise cross
 * the network in clear and anyone who reaches the port could join. Both stores are opened at start,
 * so a wrong path or password is an error naming the key, before the node joins.
 *
 * @param password the password of the key store, its key and the trust store
 */
record NodeTls(Path keyStore, Path trustStore, String password) {

  private static final String P = "longdpo.node.tls.";

  /** The node's TLS settings, if a key store is given; refuses a non-loopback node without one. */
  static Optional<NodeTls> create(Config c, boolean loopback, String hostname) {
    String keyStore = c.getString(P + "key-store");
    if (keyStore.isEmpty()) {
      if (!loopback) {
        throw new SettingsException(P + "key-store", P + "key-store: none, but longdpo.node.hostname " + hostname
            + " is not a loopback address: the cluster's port then needs TLS (--tls-key-store FILE "
            + "--tls-password-file FILE; README, \"Cluster\", says how to make a key store)");
      }
      return Optional.empty();
    }
    String passwordFile = c.getString(P + "password-file");
    if (passwordFile.isEmpty()) {
      throw new SettingsException(P + "password-file", P + "password-file: needed with a key store (--tls-password-file)");
    }
    String password;
    try {
      password = Files.readString(Path.of(passwordFile)).strip();
    } catch (IOException e) {
      throw new SettingsException(P + "password-file", passwordFile + ": cannot be read: " + e.getMessage());
    }
    String trust = c.getString(P + "trust-store");
    NodeTls tls = new NodeTls(Path.of(keyStore).toAbsolutePath(),
        Path.of(trust.isEmpty() ? keyStore : trust).toAbsolutePath(), password);
    tls.open(tls.keyStore(), "key-store");
    tls.open(tls.trustStore(), trust.isEmpty() ? "key-store" : "trust-store");
    return Optional.of(tls);
  }

  private void open(Path store, String key) {
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore ks = KeyStore.getInstance(store.toString().endsWith(".jks") ? "JKS" : "PKCS12");
      ks.load(in, password.toCharArray());
      if (ks.size() == 0) {
        throw new SettingsException(P + key, P + key + " " + store + ": holds no key or certificate");
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new SettingsException(P + key, P + key + " " + store + ": cannot be opened with the password of "
          + P + "password-file (" + e.getMessage() + ")");
    }
  }

  /** Pekko's settings for Artery over TLS with these stores. */
  Config pekko() {
    String ssl = "pekko.remote.artery.ssl.config-ssl-engine.";
    return ConfigFactory.empty()
        .withValue("pekko.remote.artery.transport", ConfigValueFactory.fromAnyRef("tls-tcp"))
        .withValue(ssl + "key-store", ConfigValueFactory.fromAnyRef(keyStore.toString()))
        .withValue(ssl + "key-store-password", ConfigValueFactory.fromAnyRef(password))
        .withValue(ssl + "key-password", ConfigValueFactory.fromAnyRef(password))
        .withValue(ssl + "trust-store", ConfigValueFactory.fromAnyRef(trustStore.toString()))
        .withValue(ssl + "trust-store-password", ConfigValueFactory.fromAnyRef(password))
        .withValue(ssl + "require-mutual-authentication", ConfigValueFactory.fromAnyRef(true));
  }

  @Override
  public String toString() {
    return "NodeTls[" + keyStore + ", " + trustStore + ", password ****]";
  }
}
