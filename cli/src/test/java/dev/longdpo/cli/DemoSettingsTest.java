package dev.longdpo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.longdpo.cli.demo.DemoSettings;
import org.junit.jupiter.api.Test;

class DemoSettingsTest {

  private static final Config DEFAULTS = ConfigFactory.load();

  @Test
  void eachModeSetsItsSearchTrainingAndEvaluationSizesAndTheSeedMovesTheEvalSeed() {
    Config full = DemoSettings.create(DEFAULTS, false).apply(DEFAULTS, 3);
    assertThat(full.getInt("longdpo.eval.plain-tasks")).isEqualTo(512);
    assertThat(full.getInt("longdpo.eval.sectioned-tasks")).isEqualTo(128);
    assertThat(full.getLong("longdpo.eval.seed")).isEqualTo(DEFAULTS.getLong("longdpo.eval.seed") + 2);
    assertThat(full.getInt("longdpo.search.rollouts")).isEqualTo(8);
    assertThat(full.getInt("longdpo.train.epochs")).isEqualTo(1);
    Config quick = DemoSettings.create(DEFAULTS, true).apply(DEFAULTS, 1);
    assertThat(quick.getInt("longdpo.eval.plain-tasks")).isEqualTo(128);
    assertThat(quick.getInt("longdpo.eval.sectioned-tasks")).isEqualTo(32);
    assertThat(quick.getInt("longdpo.search.rollouts")).isEqualTo(4);
  }

  @Test
  void aModeWithTooFewEvaluationTasksIsRefusedByKey() {
    Config bad = ConfigFactory.parseString("longdpo.demo.quick.eval-plain-tasks = 2").withFallback(DEFAULTS);
    assertThatThrownBy(() -> DemoSettings.create(bad, true))
        .hasMessageContaining("longdpo.demo.quick.eval-plain-tasks = 2")
        .hasMessageContaining("[4, 100000]");
  }
}
