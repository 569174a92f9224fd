package dev.longdpo.coordinator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.longdpo.actors.backend.TaskSpecs;
import dev.longdpo.coordinator.search.SearchSettings;
import dev.longdpo.protocol.search.TaskSpec;
import dev.longdpo.testbed.task.TaskGenerator;
import dev.longdpo.testbed.task.WritingTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {

  @TempDir Path dir;

  static List<TaskSpec> specs(List<WritingTask> tasks) {
    return tasks.stream().map(TaskSpecs::of).toList();
  }

  static RunManifest manifest(List<TaskSpec> tasks, SearchSettings s) {
    return new RunManifest("run", tasks.size(), RunDirectory.hash(tasks), "base-abc", RunManifest.describe(s));
  }

  @Test
  void resumingWithOtherSettingsIsRefusedNamingTheField() throws Exception {
    List<TaskSpec> tasks = specs(new TaskGenerator(1).generate(3, 1));
    SearchSettings s = SearchSettings.create(ConfigFactory.load());
    Path run = dir.resolve("run");
    RunDirectory.openOrCreate(run, manifest(tasks, s), tasks);
    assertThat(RunDirectory.openOrCreate(run, manifest(tasks, s.withTreesInFlight(3)), tasks).taskSpecs()).isEqualTo(tasks);
    assertThatThrownBy(() -> RunDirectory.openOrCreate(run, manifest(tasks, s.withBudget(2, 8)), tasks))
        .hasMessageContaining("run.json")
        .hasMessageContaining("k 4 vs 2");
    List<TaskSpec> other = specs(new TaskGenerator(2).generate(3, 1));
    assertThatThrownBy(() -> RunDirectory.openOrCreate(run, manifest(other, s), other)).hasMessageContaining("prompts differ");
  }

  @Test
  void everyPromptGetsItsLineAsAnIntegerGroupIdKeptInTheRunDirectory() throws Exception {
    List<TaskSpec> tasks = specs(new TaskGenerator(1).generate(5, 0));
    Path run = dir.resolve("run");
    RunDirectory d = RunDirectory.openOrCreate(run, manifest(tasks, SearchSettings.create(ConfigFactory.load())), tasks);
    GroupIds ids = d.groupIds();
    assertThat(ids.size()).isEqualTo(5);
    for (int i = 0; i < tasks.size(); i++) {
      assertThat(ids.of(tasks.get(i).id())).isEqualTo(i);
    }
    assertThat(Files.readAllLines(run.resolve(GroupIds.FILE)).get(3)).isEqualTo("2\t" + tasks.get(2).id());
    assertThatThrownBy(() -> ids.of("not-a-prompt")).hasMessageContaining(GroupIds.FILE).hasMessageContaining("not-a-prompt");

    // A run made before the file existed numbers its prompts the same way.
    Files.delete(run.resolve(GroupIds.FILE));
    assertThat(d.groupIds().of(tasks.get(4).id())).isEqualTo(4);
  }

  @Test
  void aDamagedGroupIdFileIsRefusedNamingItsLine() throws Exception {
    Path file = dir.resolve(GroupIds.FILE);
    Files.writeString(file, "group_id\tprompt_id\n0\ta\n2\tb\n");
    assertThatThrownBy(() -> GroupIds.read(file)).hasMessageContaining(file + ":3");
    Files.writeString(file, "group_id\tprompt_id\n0\ta\n1\ta\n");
    assertThatThrownBy(() -> GroupIds.read(file)).hasMessageContaining(file + ":3");
    Files.writeString(file, "0\ta\n");
    assertThatThrownBy(() -> GroupIds.read(file)).hasMessageContaining(file + ":1");
  }

  @Test
  void theReferenceIsRecordedOnceAndAnotherIsRefused() throws Exception {
    List<TaskSpec> tasks = specs(new TaskGenerator(1).generate(2, 0));
    RunDirectory d = RunDirectory.openOrCreate(dir.resolve("run"), manifest(tasks, SearchSettings.create(ConfigFactory.load())), tasks);
    assertThat(d.reference()).isEmpty();
    ReferenceRecord a = ReferenceRecord.fromSampler("a".repeat(64));
    d.recordReference(a);
    d.recordReference(a); // a resume with the same model
    assertThat(d.reference()).contains(a);
    assertThatThrownBy(() -> d.recordReference(ReferenceRecord.fromSampler("b".repeat(64))))
        .hasMessageContaining(RunDirectory.REFERENCE).hasMessageContaining("a".repeat(64)).hasMessageContaining("b".repeat(64));
    Files.writeString(dir.resolve("run").resolve(RunDirectory.REFERENCE), "{\"weights_sha256\": \"short\"}");
    assertThatThrownBy(d::reference).hasMessageContaining(RunDirectory.REFERENCE).hasMessageContaining("weights_sha256");
  }
}
