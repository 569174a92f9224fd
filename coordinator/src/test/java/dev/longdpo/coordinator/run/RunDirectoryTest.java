package dev.longdpo.coordinator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.longdpo.coordinator.search.SearchSettings;
import dev.longdpo.testbed.task.TaskGenerator;
import dev.longdpo.testbed.task.WritingTask;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {

  @TempDir Path dir;

  static RunManifest manifest(List<WritingTask> tasks, SearchSettings s) {
    return new RunManifest("run", tasks.size(), RunDirectory.hash(tasks), "base-abc", RunManifest.describe(s));
  }

  @Test
  void resumingWithOtherSettingsIsRefusedNamingTheField() throws Exception {
    List<WritingTask> tasks = new TaskGenerator(1).generate(3, 1);
    SearchSettings s = SearchSettings.create(ConfigFactory.load());
    Path run = dir.resolve("run");
    RunDirectory.openOrCreate(run, manifest(tasks, s), tasks);
    assertThat(RunDirectory.openOrCreate(run, manifest(tasks, s.withTreesInFlight(3)), tasks).prompts()).isEqualTo(tasks);
    assertThatThrownBy(() -> RunDirectory.openOrCreate(run, manifest(tasks, s.withBudget(2, 8)), tasks))
        .hasMessageContaining("run.json")
        .hasMessageContaining("k 4 vs 2");
    List<WritingTask> other = new TaskGenerator(2).generate(3, 1);
    assertThatThrownBy(() -> RunDirectory.openOrCreate(run, manifest(other, s), other)).hasMessageContaining("prompts differ");
  }
}
