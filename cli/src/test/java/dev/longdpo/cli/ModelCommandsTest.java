package dev.longdpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCommandsTest {

  @TempDir Path dir;

  private Path init() throws Exception {
    Path config = dir.resolve("config.json");
    Files.writeString(
        config,
        "{\"vocab_size\": 300, \"hidden_size\": 32, \"intermediate_size\": 64,"
            + " \"num_hidden_layers\": 2, \"num_attention_heads\": 4, \"num_key_value_heads\": 2,"
            + " \"max_position_embeddings\": 128}");
    Path ckpt = dir.resolve("ckpt");
    CliRunner.Result r = CliRunner.run("model", "init", "--model-config", config.toString(), "--seed", "7", "--out", ckpt.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("wrote").contains("seed 7");
    return ckpt;
  }

  @Test
  void initGenerateAndScoreWorkTogether() throws Exception {
    Path ckpt = init();
    assertThat(ckpt.resolve("tokenizer.json")).exists();
    assertThat(ckpt.resolve("model.safetensors")).exists();

    CliRunner.Result g1 = CliRunner.run("model", "generate", "--checkpoint", ckpt.toString(), "--prompt", "Write", "--greedy", "--max-new-tokens", "6", "--json");
    CliRunner.Result g2 = CliRunner.run("model", "generate", "--checkpoint", ckpt.toString(), "--prompt", "Write", "--greedy", "--max-new-tokens", "6", "--json");
    assertThat(g1.exitCode()).as(g1.err()).isZero();
    assertThat(g2.out()).isEqualTo(g1.out());
    JsonNode gen = new ObjectMapper().readTree(g1.out());
    assertThat(gen.get("token_ids").size()).isBetween(1, 6);
    assertThat(gen.get("logprobs").size()).isEqualTo(gen.get("token_ids").size());
    assertThat(gen.get("finish_reason").asText()).isIn("stop", "length");
    assertThat(gen.get("prompt_token_ids").get(0).asInt()).isEqualTo(1); // BOS

    CliRunner.Result s = CliRunner.run("model", "score", "--checkpoint", ckpt.toString(), "--prefix", "Write", "--continuation", " more", "--json");
    assertThat(s.exitCode()).as(s.err()).isZero();
    JsonNode score = new ObjectMapper().readTree(s.out());
    double sum = 0;
    for (JsonNode lp : score.get("logprobs")) {
      sum += lp.asDouble();
    }
    assertThat(score.get("sum_logprob").asDouble()).isCloseTo(sum, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(score.get("continuation_token_ids").size()).isEqualTo(5); // byte-level: " more"
  }

  @Test
  void theInstTemplateWrapsThePrompt() throws Exception {
    Path ckpt = init();
    CliRunner.Result raw = CliRunner.run("model", "generate", "--checkpoint", ckpt.toString(), "--prompt", "Hi", "--greedy", "--max-new-tokens", "1", "--json");
    CliRunner.Result inst = CliRunner.run("model", "generate", "--checkpoint", ckpt.toString(), "--prompt", "Hi", "--template", "inst", "--greedy", "--max-new-tokens", "1", "--json");
    int rawLen = new ObjectMapper().readTree(raw.out()).get("prompt_token_ids").size();
    int instLen = new ObjectMapper().readTree(inst.out()).get("prompt_token_ids").size();
    assertThat(instLen - rawLen).isEqualTo("[INST]  [/INST]".length());
  }

  @Test
  void aMissingCheckpointIsBadInputNamingThePath() {
    CliRunner.Result r = CliRunner.run("model", "generate", "--checkpoint", dir.resolve("nope").toString(), "--prompt", "x");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("nope").contains("not a checkpoint directory");
  }

  @Test
  void aBadModelConfigNamesTheField() throws Exception {
    Path config = dir.resolve("bad.json");
    Files.writeString(config, "{\"vocab_size\": 300, \"hidden_size\": 30, \"intermediate_size\": 64, \"num_hidden_layers\": 1, \"num_attention_heads\": 4}");
    CliRunner.Result r = CliRunner.run("model", "init", "--model-config", config.toString(), "--out", dir.resolve("o").toString());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("bad.json").contains("num_attention_heads");
    assertThat(dir.resolve("o")).doesNotExist();
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertThat(CliRunner.run("model", "generate").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(CliRunner.run("no-such-command").exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void anUnknownBenchmarkIsNamed() {
    CliRunner.Result r = CliRunner.run("bench", "P99");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("unknown benchmark 'P99'").contains("P1");
  }

  @Test
  void aBadSettingNamesTheKey() {
    CliRunner.Result r = CliRunner.run("--set", "longdpo.model.intra-op-threads=0", "demo");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("longdpo.model.intra-op-threads = 0").contains("expected an integer in [1, 1024]");
  }
}
