package dev.longdpo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longdpo.coordinator.run.PairLog;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.checkpoint.WeightsHash;
import dev.longdpo.model.generate.PrefixState;
import dev.longdpo.model.generate.ScoreRequest;
import dev.longdpo.protocol.pairs.PreferencePair;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The search on real LongBench-Write prompts with a policy from a checkpoint directory (a random
 * tiny Llama with a byte-level tokenizer), its exports, and the reference its pairs are tied to.
 */
class SearchOnCheckpointTest {

  @TempDir Path dir;

  private static final String[] SMALL_SEARCH = {
    "--set", "longdpo.search.k=2", "--set", "longdpo.search.rollouts=4", "--set", "longdpo.search.max-step-tokens=16",
  };

  private Path checkpoint(String name, int seed) throws Exception {
    Path config = dir.resolve("config.json");
    Files.writeString(config, "{\"vocab_size\": 300, \"hidden_size\": 32, \"intermediate_size\": 64,"
        + " \"num_hidden_layers\": 2, \"num_attention_heads\": 4, \"num_key_value_heads\": 2,"
        + " \"max_position_embeddings\": 2048}");
    Path ckpt = dir.resolve(name);
    CliRunner.Result r = CliRunner.run("model", "init", "--model-config", config.toString(), "--seed",
        Integer.toString(seed), "--out", ckpt.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    return ckpt;
  }

  private static Path longBenchHead() throws URISyntaxException {
    return Path.of(SearchOnCheckpointTest.class.getResource("/longbench_write_en.head.jsonl").toURI());
  }

  private static String[] args(String[] settings, String... rest) {
    List<String> all = new ArrayList<>(List.of(settings));
    all.addAll(List.of(rest));
    return all.toArray(String[]::new);
  }

  private static List<JsonNode> jsonLines(Path file) throws Exception {
    ObjectMapper m = new ObjectMapper();
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      out.add(m.readTree(line));
    }
    return out;
  }

  @Test
  void aSearchOnLongBenchPromptsWithACheckpointPolicyExportsBothFormatsAndTrainsOnlyWithItsReference()
      throws Exception {
    Path ckpt = checkpoint("policy", 7);
    Path run = dir.resolve("run");
    CliRunner.Result search = CliRunner.run(args(SMALL_SEARCH, "search", "--model", ckpt.toString(),
        "--prompts", longBenchHead().toString(), "--limit", "2", "--out", run.toString()));
    assertThat(search.exitCode()).as(search.err()).isZero();
    assertThat(search.out()).contains("2 trees");

    JsonNode reference = new ObjectMapper().readTree(run.resolve("reference.json").toFile());
    assertThat(reference.get("weights_sha256").asText()).isEqualTo(WeightsHash.of(ckpt));
    assertThat(reference.get("logprobs").asText()).isEqualTo("sampler");
    assertThat(new ObjectMapper().readTree(run.resolve("run.json").toFile()).get("policy").asText())
        .isEqualTo("model/" + WeightsHash.of(ckpt));

    Path trl = dir.resolve("pairs.trl.jsonl");
    Path official = dir.resolve("pairs.longdpo.jsonl");
    assertThat(CliRunner.run("export", run.toString(), "--format", "trl", "--output", trl.toString()).exitCode())
        .isZero();
    assertThat(CliRunner.run("export", run.toString(), "--format", "longdpo", "--output", official.toString())
        .exitCode()).isZero();
    List<JsonNode> trlLines = jsonLines(trl);
    List<JsonNode> officialLines = jsonLines(official);
    assertThat(trlLines).isNotEmpty().hasSameSizeAs(officialLines);
    assertThat(trlLines).anySatisfy(l -> assertThat(l.get("prompt").asText()).contains("Christmas Cactus"))
        .anySatisfy(l -> assertThat(l.get("prompt").asText()).contains("bank teller"));
    for (int i = 0; i < officialLines.size(); i++) {
      JsonNode o = officialLines.get(i);
      assertThat(o.get("group_id").isInt()).isTrue();
      int expected = trlLines.get(i).get("group_id").asText().equals("0") ? 0 : 1; // ids are line indexes here
      assertThat(o.get("group_id").asInt()).isEqualTo(expected);
      assertThat(o.get("instruction").asText()).isEqualTo(trlLines.get(i).get("prompt").asText());
    }
    assertThat(officialLines).extracting(o -> o.get("group_id").asInt()).containsOnly(0, 1).contains(0, 1);
    assertThat(Files.readAllLines(run.resolve("group_ids.tsv"))).containsExactly("group_id\tprompt_id", "0\t0", "1\t1");

    // Training these pairs from another model's weights is refused before anything is written.
    Path other = checkpoint("other", 8);
    CliRunner.Result refused = CliRunner.run("train", "--pairs", run.toString(), "--model", other.toString());
    assertThat(refused.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(refused.err()).contains(WeightsHash.of(other)).contains(WeightsHash.of(ckpt)).contains("reference.json");
    assertThat(run.resolve("train")).doesNotExist();

    // Resuming the search with another model is refused too: its pairs would mix two references.
    CliRunner.Result resumed = CliRunner.run(args(SMALL_SEARCH, "search", "--model", other.toString(),
        "--prompts", longBenchHead().toString(), "--limit", "2", "--out", run.toString()));
    assertThat(resumed.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(resumed.err()).contains("run.json");
  }

  @Test
  void aPolicyThatIsNotTheReferenceGivesPairsTheReferencesLogProbs() throws Exception {
    Path policy = checkpoint("policy", 7);
    Path referenceDir = checkpoint("reference", 8);
    Path run = dir.resolve("run");
    CliRunner.Result search = CliRunner.run(args(SMALL_SEARCH, "search", "--model", policy.toString(),
        "--reference-model", referenceDir.toString(), "--prompts", longBenchHead().toString(), "--limit", "1",
        "--out", run.toString()));
    assertThat(search.exitCode()).as(search.err()).isZero();
    JsonNode record = new ObjectMapper().readTree(run.resolve("reference.json").toFile());
    assertThat(record.get("weights_sha256").asText()).isEqualTo(WeightsHash.of(referenceDir));
    assertThat(record.get("logprobs").asText()).isEqualTo("reference");

    List<PreferencePair> pairs = PairLog.readOnly(run.resolve("pairs.log")).pairs();
    assertThat(pairs).isNotEmpty();
    try (LanguageModel reference = LanguageModel.load(referenceDir); LanguageModel sampler = LanguageModel.load(policy)) {
      for (PreferencePair p : pairs) {
        for (var side : List.of(p.chosen(), p.rejected())) {
          assertThat(side.refLogProb()).as(p.pairId()).isCloseTo(sum(reference, p.prefixTokens(), side.tokens()),
              within(1e-3));
        }
      }
      PreferencePair first = pairs.get(0);
      assertThat(first.chosen().refLogProb()).as("not the policy's own log-probs")
          .isNotCloseTo(sum(sampler, first.prefixTokens(), first.chosen().tokens()), within(1e-3));
    }

    CliRunner.Result refused = CliRunner.run("train", "--pairs", run.toString(), "--model", policy.toString());
    assertThat(refused.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(refused.err()).contains(WeightsHash.of(referenceDir));
  }

  private static double sum(LanguageModel m, int[] prefix, int[] tokens) {
    try (PrefixState state = m.prefix(prefix)) {
      return m.score(List.of(new ScoreRequest(state, tokens))).get(0).sum();
    }
  }
}
