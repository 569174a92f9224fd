package dev.longdpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to the pipeline's commands: a clear error naming the file, exit code 3, nothing written. */
class BadInputTest {

  @TempDir Path dir;

  static final String GOOD_TASK =
      "{\"id\":\"t0\",\"prompt\":\"In about 30 words, write about the city of Varno.\",\"length\":30}\n";

  @Test
  void aPromptFileThatDoesNotParseNamesItsLineAndNoRunIsCreated() throws Exception {
    Path prompts = dir.resolve("prompts.jsonl");
    Files.writeString(prompts, GOOD_TASK + "{\"prompt\": \"no length\"\n");
    Path run = dir.resolve("run");
    CliRunner.Result r = CliRunner.run("search", "--prompts", prompts.toString(), "--out", run.toString());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains(prompts + ":2");
    assertThat(run).doesNotExist();
  }

  @Test
  void trainingWithoutAPairLogNamesTheFile() {
    CliRunner.Result r = CliRunner.run("train", "--pairs", dir.toString());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains(dir.resolve("pairs.log").toString());
    assertThat(dir.resolve("train")).doesNotExist();
  }

  @Test
  void aCorruptPairLogIsRefusedNamingTheFile() throws Exception {
    Path log = dir.resolve("pairs.log");
    Files.write(log, new byte[] {0x7f, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09});
    CliRunner.Result r = CliRunner.run("train", "--pairs", dir.toString());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains(log.toString());
  }

  @Test
  void evaluatingACheckpointWithoutATokenizerNamesTheMissingFile() throws Exception {
    Path config = dir.resolve("config.json");
    Files.writeString(config, "{\"vocab_size\": 300, \"hidden_size\": 32, \"intermediate_size\": 64,"
        + " \"num_hidden_layers\": 2, \"num_attention_heads\": 4, \"num_key_value_heads\": 2,"
        + " \"max_position_embeddings\": 128}");
    Path ckpt = dir.resolve("ckpt");
    assertThat(CliRunner.run("model", "init", "--model-config", config.toString(), "--out", ckpt.toString()).exitCode())
        .isZero();
    Files.deleteIfExists(ckpt.resolve("tokenizer.json"));
    Path tasks = dir.resolve("tasks.jsonl");
    Files.writeString(tasks, GOOD_TASK);
    Path eval = dir.resolve("eval");
    CliRunner.Result r =
        CliRunner.run("eval", "--checkpoint", ckpt.toString(), "--tasks", tasks.toString(), "--out", eval.toString());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains(ckpt.resolve("tokenizer.json").toString());
    assertThat(eval.resolve("ckpt.json")).doesNotExist();
  }

  @Test
  void aDemoDirectoryWithAFinishedReportIsNotOverwritten() throws Exception {
    Files.writeString(dir.resolve("report.json"), "{}");
    CliRunner.Result r = CliRunner.run("demo", "--quick", "--out", dir.toString());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("report.json");
    assertThat(Files.readString(dir.resolve("report.json"))).isEqualTo("{}");
  }
}
