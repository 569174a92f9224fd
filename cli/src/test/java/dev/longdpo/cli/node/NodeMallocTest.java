package dev.longdpo.cli.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longdpo.model.runtime.SiblingJvm;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeMallocTest {

  @Test
  void onlyANodeWhoseEveryRoleIsTrainerTrainsOnly() {
    assertThat(NodeProcess.trainsOnly("trainer")).isTrue();
    assertThat(NodeProcess.trainsOnly("trainer,trainer")).isTrue();
    assertThat(NodeProcess.trainsOnly("search,trainer")).isFalse();
    assertThat(NodeProcess.trainsOnly("trainer,evaluator")).isFalse();
    assertThat(NodeProcess.trainsOnly("coordinator")).isFalse();
  }

  @Test
  void aTrainerOnlyNodeWithoutTrainingsSettingsIsToldWhatItMisses() {
    Map<String, String> launcher = new HashMap<>(Map.of("PATH", "/bin"));
    SiblingJvm.putLauncherMallocSettings(launcher);
    String line = NodeMalloc.describe(List.of("trainer"), launcher);
    assertThat(line).contains("MALLOC_MMAP_THRESHOLD_=4194304", "only trains", "MALLOC_TOP_PAD_=67108864")
        .doesNotContain("PATH");

    Map<String, String> training = new HashMap<>();
    SiblingJvm.putTrainingMallocSettings(training);
    assertThat(NodeMalloc.describe(List.of("trainer"), training))
        .contains("(training's)", "MALLOC_MMAP_THRESHOLD_=33554432", "MALLOC_ARENA_MAX=2").doesNotContain("only trains");
  }

  @Test
  void aNodeThatDecodesIsNotToldToTakeTrainingsSettings() {
    Map<String, String> launcher = new HashMap<>();
    SiblingJvm.putLauncherMallocSettings(launcher);
    assertThat(NodeMalloc.describe(List.of("search", "trainer"), launcher)).doesNotContain("only trains");
    assertThat(NodeMalloc.describe(List.of("evaluator"), Map.of())).isEqualTo("malloc settings glibc's defaults");
  }
}
