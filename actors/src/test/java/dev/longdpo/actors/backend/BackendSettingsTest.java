package dev.longdpo.actors.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.longdpo.config.SettingsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendSettingsTest {

  @TempDir Path dir;

  private static Config with(String hocon) {
    return ConfigFactory.parseString(hocon).withFallback(ConfigFactory.load()).resolve();
  }

  @Test
  void theDefaultIsTheEmbeddedTestbedInEveryRole() {
    BackendSettings b = BackendSettings.create(ConfigFactory.load());
    assertThat(b.policy()).isEqualTo(BackendSettings.Kind.EMBEDDED);
    assertThat(b.judge()).isEqualTo(BackendSettings.Kind.EMBEDDED);
    assertThat(b.model()).isEmpty();
  }

  @Test
  void aDjlPolicyNeedsAnExistingCheckpointDirectory() throws Exception {
    assertThatThrownBy(() -> BackendSettings.create(with("longdpo.backends.policy = djl")))
        .isInstanceOf(SettingsException.class).hasMessageContaining("longdpo.backends.model");
    assertThatThrownBy(() -> BackendSettings.create(with("longdpo.backends { policy = djl, model = \"" + dir.resolve("no")
        + "\" }"))).hasMessageContaining("longdpo.backends.model").hasMessageContaining("existing checkpoint directory");
    Path ckpt = Files.createDirectories(dir.resolve("ckpt"));
    BackendSettings b = BackendSettings.create(BackendSettings.withModel(ConfigFactory.load(), ckpt));
    assertThat(b.policy()).isEqualTo(BackendSettings.Kind.DJL);
    assertThat(b.model()).contains(ckpt);
  }

  @Test
  void combinationsThatCannotWorkAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> BackendSettings.create(with("longdpo.backends.judge = djl")))
        .hasMessageContaining("longdpo.backends.judge").hasMessageContaining("only the policy");
    assertThatThrownBy(() -> BackendSettings.create(with("longdpo.backends.reference = djl")))
        .hasMessageContaining("longdpo.backends.reference-model");
    assertThatThrownBy(() -> BackendSettings.create(with("longdpo.backends.reference = openai")))
        .hasMessageContaining("longdpo.backends.reference").hasMessageContaining("policy");
    assertThatThrownBy(() -> BackendSettings.create(with("longdpo.backends.policy = openai")))
        .hasMessageContaining("longdpo.backends.policy").hasMessageContaining("embedded, djl");
    assertThatThrownBy(() -> BackendSettings.create(with("longdpo.backends.juge = embedded")))
        .hasMessageContaining("longdpo.backends.juge").hasMessageContaining("a role");
  }

  @Test
  void aBackendFileHoldsTheSectionsKeysAtItsRoot() throws Exception {
    Path ckpt = Files.createDirectories(dir.resolve("ckpt"));
    Path file = dir.resolve("backends.conf");
    Files.writeString(file, "policy = djl\nmodel = \"" + ckpt + "\"\n");
    BackendSettings b = BackendSettings.create(BackendSettings.withFile(ConfigFactory.load(), file));
    assertThat(b.model()).contains(ckpt);
    Files.writeString(file, "policy = djl\nmodel = {\n");
    assertThatThrownBy(() -> BackendSettings.withFile(ConfigFactory.load(), file))
        .isInstanceOf(SettingsException.class).hasMessageContaining(file + ", line");
    assertThatThrownBy(() -> BackendSettings.withFile(ConfigFactory.load(), dir.resolve("none.conf")))
        .hasMessageContaining("none.conf").hasMessageContaining("not found");
  }
}
