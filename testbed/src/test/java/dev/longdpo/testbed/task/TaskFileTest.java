package dev.longdpo.testbed.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import dev.longdpo.testbed.TestResources;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskFileTest {

  @TempDir Path dir;

  @Test
  void realLongBenchWritePromptsLoadWithLineIndexIds() {
    List<WritingTask> tasks = TaskFile.read(TestResources.path("/longbench_write_en.jsonl"));
    assertThat(tasks).hasSize(60);
    assertThat(tasks.get(0).id()).isEqualTo("0");
    assertThat(tasks.get(1).id()).isEqualTo("1");
    assertThat(tasks.get(0).length()).isEqualTo(100);
    assertThat(tasks.get(0).topic()).isEmpty();
  }

  @Test
  void testbedTasksRoundTrip() throws Exception {
    List<WritingTask> tasks = new TaskGenerator(5).generate(4, 2);
    Path file = dir.resolve("tasks.jsonl");
    TaskFile.write(file, tasks);
    assertThat(TaskFile.read(file)).isEqualTo(tasks);
  }

  private void assertBad(String content, String expected) throws Exception {
    Path file = dir.resolve("bad.jsonl");
    Files.writeString(file, content);
    assertThatThrownBy(() -> TaskFile.read(file))
        .isInstanceOf(TaskFileException.class)
        .hasMessageStartingWith(file.toString())
        .hasMessageContaining(expected);
  }

  @Test
  void malformedFilesNameTheFileAndLine() throws Exception {
    String good = "{\"prompt\": \"Write.\", \"length\": 100}\n";
    assertBad(good + "{\"prompt\": \"x\", \"length\": \n", ":2: invalid JSON");
    assertBad(good + good + "{\"length\": 100}\n", ":3: missing field 'prompt'");
    assertBad("{\"prompt\": \"x\"}\n", ":1: missing field 'length'");
    assertBad(good + "{\"prompt\": \"  \", \"length\": 10}\n", ":2: field 'prompt' is empty");
    assertBad("{\"prompt\": \"x\", \"length\": -5}\n", ":1: field 'length' must be > 0, got -5");
    assertBad("{\"prompt\": \"x\", \"length\": 0}\n", ":1: field 'length' must be > 0, got 0");
    assertBad("{\"prompt\": \"x\", \"length\": \"long\"}\n", ":1: field 'length' must be an integer");
    assertBad("[1, 2]\n", ":1: expected a JSON object");
    assertBad("{\"prompt\": \"x\", \"required_length\": 0}\n", ":1: field 'required_length' must be > 0");
    assertBad("{\"prompt\": \"x\", \"length\": 10, \"required_length\": 20}\n", ":1: fields 'length' (10) and"
        + " 'required_length' (20) disagree");
  }

  @Test
  void requiredLengthStandsInForLength() throws Exception {
    Path file = dir.resolve("tasks.jsonl");
    Files.writeString(file, "{\"prompt\": \"Write.\", \"required_length\": 300, \"type\": \"Fiction\"}\n"
        + "{\"prompt\": \"Write more.\", \"length\": 500, \"required_length\": 500}\n");
    List<WritingTask> tasks = TaskFile.read(file);
    assertThat(tasks).extracting(WritingTask::length).containsExactly(300, 500);
    assertThat(tasks.get(0).type()).isEqualTo("Fiction");
  }

  @Test
  void identicalSeedsGiveIdenticalTasks() {
    assertThat(new TaskGenerator(9).generate(8, 4)).isEqualTo(new TaskGenerator(9).generate(8, 4));
    assertThat(new TaskGenerator(9).generate(8, 4)).isNotEqualTo(new TaskGenerator(10).generate(8, 4));
  }

  @Test
  void plainTasksCycleThroughTheFourBuckets() {
    List<WritingTask> tasks = new TaskGenerator(3).generate(8, 0);
    List<String> labels = tasks.stream().map(t -> LengthBuckets.TESTBED.labelOf(t.length())).toList();
    assertThat(labels).containsExactly("0-50", "50-200", "200-400", "400-600", "0-50", "50-200", "200-400", "400-600");
  }
}
