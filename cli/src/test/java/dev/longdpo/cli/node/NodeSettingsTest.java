package dev.longdpo.cli.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longdpo.config.ConfigLoader;
import dev.longdpo.config.SettingsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node's settings are checked at start, and each problem names its key. */
class NodeSettingsTest {

  @TempDir Path dir;

  private static NodeSettings settings(String... keyValues) {
    Map<String, String> set = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      set.put(keyValues[i], keyValues[i + 1]);
    }
    return NodeSettings.create(ConfigLoader.load(Optional.empty(), set));
  }

  @Test
  void theControlPortLeavesLoopbackOnlyWithAToken() throws Exception {
    assertThatThrownBy(() -> settings("longdpo.node.roles", "[search]", "longdpo.node.control-host", "\"0.0.0.0\""))
        .isInstanceOf(SettingsException.class).hasMessageContaining("longdpo.node.control-host")
        .hasMessageContaining("needs a token");
    Path token = Files.writeString(dir.resolve("token"), "0123456789abcdef-token\n");
    NodeSettings s = settings("longdpo.node.roles", "[search]", "longdpo.node.control-host", "\"0.0.0.0\"",
        "longdpo.node.token-file", "\"" + token + "\"");
    assertThat(s.token()).contains("0123456789abcdef-token");
    Path shortToken = Files.writeString(dir.resolve("short"), "abc\n");
    assertThatThrownBy(() -> settings("longdpo.node.roles", "[search]", "longdpo.node.token-file", "\"" + shortToken + "\""))
        .hasMessageContaining("at least 16 characters");
  }

  @Test
  void aNodeOffLoopbackNeedsTlsAndItsStoresAreOpenedAtStart() throws Exception {
    assertThatThrownBy(() -> settings("longdpo.node.roles", "[search]", "longdpo.node.hostname", "\"10.1.2.3\""))
        .isInstanceOf(SettingsException.class).hasMessageContaining("longdpo.node.tls.key-store")
        .hasMessageContaining("not a loopback address");
    Path store = TestKeyStores.generate(dir.resolve("node.p12"), "node", "secret-password");
    Path password = Files.writeString(dir.resolve("password"), "secret-password\n");
    NodeSettings s = settings("longdpo.node.roles", "[search]", "longdpo.node.hostname", "\"10.1.2.3\"",
        "longdpo.node.tls.key-store", "\"" + store + "\"", "longdpo.node.tls.password-file", "\"" + password + "\"");
    assertThat(s.tls()).isPresent();
    assertThat(s.tls().get().pekko().getString("pekko.remote.artery.transport")).isEqualTo("tls-tcp");
    assertThat(s.tls().get().pekko().getBoolean("pekko.remote.artery.ssl.config-ssl-engine.require-mutual-authentication"))
        .isTrue();
    assertThat(s.tls().get().toString()).doesNotContain("secret-password");
    Path wrong = Files.writeString(dir.resolve("wrong"), "not-the-password\n");
    assertThatThrownBy(() -> settings("longdpo.node.roles", "[search]", "longdpo.node.tls.key-store", "\"" + store + "\"",
        "longdpo.node.tls.password-file", "\"" + wrong + "\""))
        .hasMessageContaining("longdpo.node.tls.key-store").hasMessageContaining("cannot be opened");
    assertThatThrownBy(() -> settings("longdpo.node.roles", "[search]", "longdpo.node.tls.key-store", "\"" + store + "\""))
        .hasMessageContaining("longdpo.node.tls.password-file");
  }

  @Test
  void rolesAndSeedsAreChecked() {
    assertThatThrownBy(() -> settings()).hasMessageContaining("longdpo.node.roles");
    assertThatThrownBy(() -> settings("longdpo.node.roles", "[search, gardener]")).hasMessageContaining("'gardener'");
    assertThatThrownBy(() -> settings("longdpo.node.roles", "[search]", "longdpo.node.seed-nodes", "[\"host-without-port\"]"))
        .hasMessageContaining("not host:port");
    assertThat(settings("longdpo.node.roles", "[coordinator, search]").roles()).containsExactly("coordinator", "search");
  }

  @Test
  void bootstrapFindsTheNodesItselfOverTheManagementEndpoint() {
    assertThat(settings("longdpo.node.roles", "[search]", "longdpo.node.bootstrap", "on").bootstrap()).isTrue();
    assertThatThrownBy(() -> settings("longdpo.node.roles", "[search]", "longdpo.node.bootstrap", "on",
        "longdpo.node.seed-nodes", "[\"h:2551\"]")).hasMessageContaining("longdpo.node.bootstrap").hasMessageContaining(
            "give no seed-nodes");
    assertThatThrownBy(() -> settings("longdpo.node.roles", "[search]", "longdpo.node.bootstrap", "on",
        "longdpo.node.management-port", "-1")).hasMessageContaining("needs the management endpoint");
    assertThatThrownBy(() -> settings("longdpo.node.roles", "[search]", "longdpo.node.metrics-port", "70000"))
        .hasMessageContaining("longdpo.node.metrics-port");
  }

  @Test
  void theBuildIdFollowsTheWireTables() {
    var base = ConfigLoader.load();
    var other = ConfigLoader.load(Optional.empty(),
        Map.of("longdpo.protocol.kryo-registrations.\"java.util.UUID\"", "999"));
    assertThat(BuildId.of(base)).isEqualTo(BuildId.of(ConfigLoader.load())).isNotEqualTo(BuildId.of(other));
  }
}
