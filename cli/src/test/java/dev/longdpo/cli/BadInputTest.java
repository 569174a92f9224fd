package dev.longdpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedOutputStream;
import dev.longdpo.coordinator.run.PairLog;
import dev.longdpo.protocol.internal.proto.PairLogRecordProto;
import dev.longdpo.protocol.pairs.PairCodec;
import dev.longdpo.protocol.pairs.PairStep;
import dev.longdpo.protocol.pairs.PreferencePair;
import dev.longdpo.protocol.search.StepScore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

  static PreferencePair pair(int depth) {
    StepScore s = new StepScore(List.of(4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0), 5, 4, 9);
    return new PreferencePair(PreferencePair.id("r", "p", depth), "r", "p", depth, "Write.", "[INST] Write. [/INST]",
        new int[] {1, 2}, new PairStep(" Good.\n\n", new int[] {3}, false, s, -1, 9),
        new PairStep(" Bad.\n\n", new int[] {4}, false, s, -2, 7), false, 0, false, 1);
  }

  @Test
  void aPairLogWhosePairFailsItsChecksumHoldsNoReadablePair() throws Exception {
    Path log = dir.resolve("pairs.log");
    try (PairLog l = PairLog.open(log)) {
      l.append(List.of(pair(1)));
    }
    byte[] bytes = Files.readAllBytes(log);
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    bytes[text.indexOf(" Good.") + 1] = 'H'; // still a pair that parses, just not the one written
    Files.write(log, bytes);
    // A model directory that does not exist: if the pair were read, training would fail on it
    // instead, with another message.
    CliRunner.Result r =
        CliRunner.run("train", "--pairs", dir.toString(), "--model", dir.resolve("no-model").toString());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains(log + ": holds no readable pairs").contains("at byte 9");
    assertThat(dir.resolve("train")).doesNotExist();
  }

  @Test
  void exportWritesEveryIntactPairOfALogDamagedInTheMiddleAndSaysWhatItSkipped() throws Exception {
    Files.writeString(dir.resolve("run.json"), "{}");
    Path log = dir.resolve("pairs.log");
    try (PairLog l = PairLog.open(log)) {
      l.append(List.of(pair(1), pair(2), pair(3)));
    }
    byte[] bytes = Files.readAllBytes(log);
    int recordBytes = (bytes.length - 9) / 3; // a 9-byte header, then three records of one size
    int second = 9 + recordBytes;
    bytes[second + 12] ^= 0x01; // inside the second record's payload
    Files.write(log, bytes);
    Path out = dir.resolve("pairs.jsonl");
    CliRunner.Result r = CliRunner.run("export", dir.toString(), "--format", "trl", "--output", out.toString());
    assertThat(r.exitCode()).isZero();
    assertThat(r.err()).contains(log + ": skipped").contains("at byte " + second);
    assertThat(Files.readAllLines(out)).hasSize(2);
    assertThat(Files.readAllBytes(log)).as("a reader never changes the log").isEqualTo(bytes);
  }

  @Test
  void aLogWithoutChecksumsDamagedInTheMiddleIsRefusedNamingTheByte() throws Exception {
    Path log = dir.resolve("pairs.log");
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(buf);
    for (int depth = 1; depth <= 3; depth++) {
      PairLogRecordProto r = PairLogRecordProto.newBuilder().setPair(PairCodec.toProto(pair(depth))).build();
      out.writeUInt32NoTag(r.getSerializedSize());
      r.writeTo(out);
    }
    out.flush();
    byte[] bytes = buf.toByteArray();
    int second = bytes.length / 3; // three records of one size
    bytes[second + 2] = (byte) 0xff; // the second record's first tag (after a two-byte length)
    Files.write(log, bytes);
    CliRunner.Result r =
        CliRunner.run("train", "--pairs", dir.toString(), "--model", dir.resolve("no-model").toString());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains(log.toString()).contains("at byte " + second).contains("1 pairs before it");
    assertThat(Files.readAllBytes(log)).isEqualTo(bytes);
  }

  @Test
  void evaluatingACheckpointWithoutATokenizerNamesTheMissingFile() throws Exception {
    Path ckpt = checkpointWithoutTokenizer();
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
  void generatingOrScoringTextWithACheckpointWithoutATokenizerNamesTheMissingFile() throws Exception {
    Path ckpt = checkpointWithoutTokenizer();
    CliRunner.Result generate =
        CliRunner.run("model", "generate", "--checkpoint", ckpt.toString(), "--prompt", "Write about Varno.");
    CliRunner.Result score = CliRunner.run("model", "score", "--checkpoint", ckpt.toString(),
        "--prefix", "Write about Varno.", "--continuation", "Varno is a city.");
    for (CliRunner.Result r : List.of(generate, score)) {
      assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(r.err()).contains(ckpt.resolve("tokenizer.json") + ": missing").doesNotContain("\tat ");
    }
  }

  private Path checkpointWithoutTokenizer() throws Exception {
    Path config = dir.resolve("config.json");
    Files.writeString(config, "{\"vocab_size\": 300, \"hidden_size\": 32, \"intermediate_size\": 64,"
        + " \"num_hidden_layers\": 2, \"num_attention_heads\": 4, \"num_key_value_heads\": 2,"
        + " \"max_position_embeddings\": 128}");
    Path ckpt = dir.resolve("ckpt");
    assertThat(CliRunner.run("model", "init", "--model-config", config.toString(), "--out", ckpt.toString()).exitCode())
        .isZero();
    Files.deleteIfExists(ckpt.resolve("tokenizer.json"));
    return ckpt;
  }

  @Test
  void aBackendConfigThatCannotWorkIsRefusedBeforeTheRunDirectoryIsMade() throws Exception {
    Path prompts = dir.resolve("prompts.jsonl");
    Files.writeString(prompts, GOOD_TASK);
    Path backends = dir.resolve("backends.conf");
    Files.writeString(backends, "judge = djl\n");
    Path run = dir.resolve("run");
    CliRunner.Result r = CliRunner.run("search", "--backend-config", backends.toString(), "--prompts",
        prompts.toString(), "--out", run.toString());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("longdpo.backends.judge").contains(backends.toString()).doesNotContain("\tat ");
    assertThat(run).doesNotExist();
    CliRunner.Result train = CliRunner.run("train", "--pairs", run.toString(), "--model", dir.resolve("none").toString());
    assertThat(train.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    // ctl submit checks the file before it calls any node (none listens here).
    CliRunner.Result submit = CliRunner.run("ctl", "--endpoint", "127.0.0.1:1", "submit", "--backend-config",
        backends.toString(), "--prompts", prompts.toString());
    assertThat(submit.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(submit.err()).contains("longdpo.backends.judge");
  }

  @Test
  void aDemoDirectoryWithAFinishedReportIsNotOverwritten() throws Exception {
    Path report = Files.createDirectories(dir.resolve("runs").resolve("demo")).resolve("report.txt");
    Files.writeString(report, "table");
    CliRunner.Result r = CliRunner.run("demo", "--quick", "--out", dir.toString());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("holds a finished demo").contains(report.toString());
    assertThat(Files.readString(report)).isEqualTo("table");
  }

  @Test
  void aDemoWithABadTrainingSettingNamesItBeforeAnythingStarts() {
    CliRunner.Result r = CliRunner.run("--set", "longdpo.train.batch-pairs=0", "demo", "--quick", "--out",
        dir.resolve("d").toString());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("longdpo.train.batch-pairs");
    assertThat(dir.resolve("d")).doesNotExist();
  }

  @Test
  void aSplitThatIsNotOneIsNamedAndNothingIsWritten() {
    Path tasks = dir.resolve("tasks.jsonl");
    CliRunner.Result r = CliRunner.run("tasks", "--split", "eval", "--out", tasks.toString());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("--split: 'eval' is not a split (train, validation or test)");
    assertThat(tasks).doesNotExist();

    CliRunner.Result train = CliRunner.run("eval", "--base", "--split", "train", "--out", dir.resolve("e").toString());
    assertThat(train.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(train.err()).contains("--split: 'train' is not validation or test");
    assertThat(dir.resolve("e")).doesNotExist();

    CliRunner.Result setting = CliRunner.run("--set", "longdpo.eval.split=train", "eval", "--base", "--out",
        dir.resolve("e").toString());
    assertThat(setting.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(setting.err()).contains("longdpo.eval.split").contains("validation or test");
    assertThat(dir.resolve("e")).doesNotExist();
  }

  @Test
  void aReportOfADirectoryThatHoldsNoFinishedRunNamesWhatIsMissing() throws Exception {
    Path json = dir.resolve("cmp.json");
    CliRunner.Result r = CliRunner.run("report", dir.toString(), "--json", json.toString());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains(dir + ": not a finished run").contains("submit.json: missing");
    assertThat(json).doesNotExist();
  }
}
