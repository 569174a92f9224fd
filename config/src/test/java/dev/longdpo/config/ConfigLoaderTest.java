package dev.longdpo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path dir;

  enum Mode {
    RANDOM_LOWER,
    LOWEST
  }

  @Test
  void laterSourcesWin() throws Exception {
    Path file = dir.resolve("my.conf");
    Files.writeString(file, "longdpo.test { a = 1, b = 2, c = 3 }\n");
    System.setProperty("longdpo.test.c", "30");
    try {
      Config c = ConfigLoader.load(Optional.of(file), Map.of("longdpo.test.b", "20"));
      assertThat(c.getInt("longdpo.test.a")).isEqualTo(1);
      assertThat(c.getInt("longdpo.test.b")).isEqualTo(20);
      assertThat(c.getInt("longdpo.test.c")).isEqualTo(30);
    } finally {
      System.clearProperty("longdpo.test.c");
    }
  }

  @Test
  void aMissingOrBrokenFileIsNamed() throws Exception {
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(dir.resolve("nope.conf")), Map.of()))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("nope.conf")
        .hasMessageContaining("not found");
    Path broken = dir.resolve("broken.conf");
    Files.writeString(broken, "a = 1\nb = {\n");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(broken), Map.of()))
        .isInstanceOf(SettingsException.class)
        .hasMessage(broken + ", line 3: expecting a close parentheses ')' here, not: end of file");
  }

  @Test
  void badValuesNameKeyValueAndExpectation() {
    Config c =
        ConfigFactory.parseString(
            "k = -3, r = 1.5, d = 0s, e = sideways, s = \"\", ok = 7, dur = 50ms, m = random-lower");
    assertThatThrownBy(() -> Validate.positiveInt(c, "k"))
        .hasMessage("k = -3 (String: 1): expected an integer in [1, 2147483647]");
    assertThatThrownBy(() -> Validate.doubleInRange(c, "r", 0, 1))
        .hasMessageContaining("r = 1.5")
        .hasMessageContaining("expected a number in [0.0, 1.0]");
    assertThatThrownBy(() -> Validate.positiveDuration(c, "d")).hasMessageContaining("d = \"0s\"");
    assertThatThrownBy(() -> Validate.oneOf(c, "e", Mode.class))
        .hasMessageContaining("e = \"sideways\"")
        .hasMessageContaining("one of random-lower, lowest");
    assertThatThrownBy(() -> Validate.nonEmptyString(c, "s")).hasMessageContaining("non-empty");
    assertThatThrownBy(() -> Validate.positiveInt(c, "missing")).hasMessage("missing is missing: expected an integer");
    assertThatThrownBy(() -> Validate.positiveInt(c, "e")).hasMessageContaining("expected an integer");
    assertThat(Validate.positiveInt(c, "ok")).isEqualTo(7);
    assertThat(Validate.positiveDuration(c, "dur")).isEqualTo(Duration.ofMillis(50));
    assertThat(Validate.oneOf(c, "m", Mode.class)).isEqualTo(Mode.RANDOM_LOWER);
  }
}
