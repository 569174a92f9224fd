package dev.longdpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code longdpo eval} on checkpoints of two runs whose directories share a name. */
class EvalCommandTest {

  @TempDir Path dir;

  @Test
  void checkpointsWithOneDirectoryNameKeepARecordEachAndTheSecondIsComparedWithTheFirst() throws Exception {
    Path config = dir.resolve("config.json");
    Files.writeString(config, "{\"vocab_size\": 300, \"hidden_size\": 32, \"intermediate_size\": 64,"
        + " \"num_hidden_layers\": 2, \"num_attention_heads\": 4, \"num_key_value_heads\": 2,"
        + " \"max_position_embeddings\": 96}");
    Path a = dir.resolve("a").resolve("longdpo-step-9");
    Path b = dir.resolve("b").resolve("longdpo-step-9");
    for (var c : new Object[][] {{a, "1"}, {b, "2"}}) {
      CliRunner.Result init = CliRunner.run("model", "init", "--model-config", config.toString(), "--seed",
          (String) c[1], "--out", c[0].toString());
      assertThat(init.exitCode()).as(init.err()).isZero();
    }
    Path tasks = dir.resolve("tasks.jsonl");
    Files.writeString(tasks, BadInputTest.GOOD_TASK
        + "{\"id\":\"t1\",\"prompt\":\"In about 20 words, write about the ship Tapim.\",\"length\":20}\n");
    Path out = dir.resolve("eval");

    CliRunner.Result r = CliRunner.run("eval", "--checkpoint", a.toString(), "--checkpoint", b.toString(), "--tasks",
        tasks.toString(), "--out", out.toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(out.resolve("longdpo-step-9.json")).isNotEmptyFile();
    assertThat(out.resolve("longdpo-step-9-2.json")).isNotEmptyFile();
    assertThat(Files.readString(out.resolve("longdpo-step-9-2.json"))).contains(b.toString());
    assertThat(r.out()).contains("Differences with 95% intervals").contains("longdpo-step-9-2 - longdpo-step-9");
  }
}
