package dev.longdpo.coordinator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.longdpo.actors.backend.TaskSpecs;
import dev.longdpo.config.ConfigLoader;
import dev.longdpo.actors.host.EvaluatorHost;
import dev.longdpo.protocol.control.ModelFile;
import dev.longdpo.protocol.control.ModelFiles;
import dev.longdpo.protocol.control.SubmitRequest;
import dev.longdpo.protocol.control.Testbed;
import dev.longdpo.protocol.control.Variant;
import dev.longdpo.testbed.demo.DemoSettings;
import dev.longdpo.testbed.task.TaskFile;
import dev.longdpo.testbed.task.TaskGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A submit is checked before anything is written, and written whole. */
class RunSubmissionTest {

  private static final Config CONFIG = ConfigLoader.load();

  @TempDir Path dir;

  private static String prompts(int n) throws Exception {
    Path f = Files.createTempFile("prompts", ".jsonl");
    TaskFile.write(f, new TaskGenerator(5).generateMix(new int[] {n, 0, 0, 0}, 0));
    String text = Files.readString(f);
    Files.delete(f);
    return text;
  }

  private static SubmitRequest.Builder request() throws Exception {
    return SubmitRequest.newBuilder().setTestingPolicy(true).setPromptsJsonl(prompts(4)).setPromptsName("mine.jsonl");
  }

  @Test
  void aGoodRequestIsCheckedAndWrittenWhole() throws Exception {
    SubmitRequest r = request().setSettingsHocon("k = 2\nrollouts = 3").setSettingsName("s.conf").setLimit(3).build();
    RunSubmission.Checked c = RunSubmission.check(r, CONFIG);
    assertThat(c.tasks()).hasSize(3);
    assertThat(c.settings().k()).isEqualTo(2);
    assertThat(c.settings().rollouts()).isEqualTo(3);
    Path run = dir.resolve("runs").resolve("r1");
    RunSubmission.write(run, r, c, new ClusterRunFiles.Submitted("r1", 1, 0, "testing", false, "mine.jsonl", "s.conf",
        RunSubmission.requestHash(r), false, List.of(), false, 0));
    try (Stream<Path> s = Files.list(run)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("run.json", "prompts.jsonl", "group_ids.tsv", "search.conf", "submit.json", "state.json");
    }
    try (Stream<Path> s = Files.list(run.getParent())) {
      assertThat(s.map(p -> p.getFileName().toString())).as("no temporary directory left").containsExactly("r1");
    }
    assertThat(ClusterRunFiles.readState(run).phase()).isEqualTo("QUEUED");
    assertThat(Files.readString(run.resolve("search.conf"))).contains("\"k\" : 2");
  }

  @Test
  void theRequestHashIgnoresTheIdOnly() throws Exception {
    SubmitRequest a = request().setId("a").build();
    assertThat(RunSubmission.requestHash(a)).isEqualTo(RunSubmission.requestHash(a.toBuilder().setId("b").build()));
    assertThat(RunSubmission.requestHash(a)).isNotEqualTo(RunSubmission.requestHash(a.toBuilder().setLimit(1).build()));
  }

  @Test
  void badInputIsNamed() throws Exception {
    String good = prompts(2);
    assertThatThrownBy(() -> RunSubmission.check(request().setPromptsJsonl(good + "{\"prompt\": 3\n").build(), CONFIG))
        .isInstanceOf(SubmitRejected.class).hasMessageStartingWith("mine.jsonl:3");
    assertThatThrownBy(() -> RunSubmission.check(request().setSettingsHocon("k = many").setSettingsName("s.conf").build(),
        CONFIG)).hasMessageStartingWith("s.conf: ").hasMessageContaining("longdpo.search.k");
    assertThatThrownBy(() -> RunSubmission.check(request().setSettingsHocon("longdpo.model.threads = 3").build(), CONFIG))
        .hasMessageContaining("only longdpo.search, longdpo.train and longdpo.eval keys");
    assertThatThrownBy(() -> RunSubmission.check(request().setSettingsHocon("pekko.loglevel = DEBUG").build(), CONFIG))
        .hasMessageContaining("'pekko.loglevel' is not a search setting");
    assertThatThrownBy(() -> RunSubmission.check(request().clearBackend().build(), CONFIG))
        .hasMessageContaining("--testbed, --model DIR or --testing-policy");
    assertThatThrownBy(() -> RunSubmission.check(request().setLimit(-1).build(), CONFIG)).hasMessageContaining("limit");
    assertThatThrownBy(() -> RunSubmission.check(request().setPromptsJsonl("\n").build(), CONFIG))
        .hasMessageContaining("mine.jsonl").hasMessageContaining("no tasks");
    ModelFiles model = ModelFiles.newBuilder().setName("m")
        .addFiles(ModelFile.newBuilder().setName("../escape.bin").setContents(ByteString.copyFromUtf8("x"))).build();
    assertThatThrownBy(() -> RunSubmission.check(request().setModel(model).build(), CONFIG))
        .hasMessageContaining("unexpected file '../escape.bin'");
  }

  @Test
  void aTrainingRunFreezesItsTrainSettings() throws Exception {
    Config node = ConfigFactory.parseString("longdpo.train { beta = 0.1, batch-pairs = 8 }").withFallback(CONFIG);
    SubmitRequest.Builder model = request().setModel(ModelFiles.newBuilder().setName("m"));
    SubmitRequest r = model.setTrain(true).setSettingsHocon("longdpo.train.batch-pairs = 2").build();
    RunSubmission.Checked c = RunSubmission.check(r, node);
    assertThat(c.trainConfig().getInt("batch-pairs")).isEqualTo(2);
    assertThat(c.trainConfig().getDouble("beta")).isEqualTo(0.1);
    Path run = dir.resolve("runs").resolve("t1");
    RunSubmission.write(run, r, c, new ClusterRunFiles.Submitted("t1", 1, 0, "model", false, "p", "s",
        RunSubmission.requestHash(r), true, List.of(), false, 0));
    assertThat(ConfigFactory.parseFile(run.resolve(ClusterRunFiles.TRAIN).toFile()).getInt("longdpo.train.batch-pairs"))
        .isEqualTo(2);

    assertThatThrownBy(() -> RunSubmission.check(request().setTrain(true).build(), node))
        .hasMessageContaining("train: the scripted policy has no model");
    assertThatThrownBy(() -> RunSubmission.check(model.setTrain(false).build(), node))
        .hasMessageContaining("longdpo.train keys, but the run does not train");
    assertThat(TaskFile.read(run.resolve(EvaluatorHost.EVAL_PROMPTS))).as("the held-out tasks").isNotEmpty();
    assertThatThrownBy(() -> RunSubmission.check(model.setTrain(true).setSettingsHocon("longdpo.train.betta = 1").build(),
        node)).hasMessageContaining("'betta' is not a train setting");
  }

  @Test
  void theTestbedWithoutPromptsIsTheDemosJobInItsModeAndSeed() throws Exception {
    // The gpu-worker's train settings are not on this module's class path: the keys the mode sets.
    Config node = ConfigFactory.parseString("longdpo.train { beta = 0.1, epochs = 3, checkpoint-every = 9 }")
        .withFallback(CONFIG);
    SubmitRequest r = SubmitRequest.newBuilder()
        .setTestbed(Testbed.newBuilder().setQuick(true).setSeed(3)).setSettingsHocon("longdpo.train.beta = 0.2").build();
    assertThat(RunSubmission.isDemoJob(r)).isTrue();
    RunSubmission.Checked c = RunSubmission.check(r, node);
    DemoSettings quick = DemoSettings.create(node, true);
    // The quick mode's prompts on seed 3, its search and training sizes; the request's own keys on top.
    assertThat(c.tasks()).isEqualTo(quick.trainTasks(node, 3).stream().map(TaskSpecs::of).toList());
    assertThat(c.settings().rollouts()).isEqualTo(quick.searchRollouts());
    assertThat(c.settings().seed()).isEqualTo(3);
    assertThat(c.trainConfig().getInt("epochs")).isEqualTo(quick.trainEpochs());
    assertThat(c.trainConfig().getDouble("beta")).isEqualTo(0.2);
    assertThat(c.evalTasks()).hasSize(quick.evalPlainTasks() + quick.evalSectionedTasks());
    assertThat(c.outcomeConfig().getLong("seed")).isEqualTo(3);
    Path run = dir.resolve("runs").resolve("d1");
    RunSubmission.write(run, r, c, new ClusterRunFiles.Submitted("d1", 1, 0, "testbed", true, "", "",
        RunSubmission.requestHash(r), false, List.of(), true, 3));
    assertThat(ClusterRunFiles.readSubmitted(run).trainedVariants()).containsExactly("longdpo", "dpo");
    assertThat(ConfigFactory.parseFile(run.resolve(ClusterRunFiles.OUTCOME).toFile()).getLong("longdpo.outcome.seed"))
        .isEqualTo(3);
    assertThat(run.resolve(ClusterRunFiles.TRAIN)).exists();

    assertThatThrownBy(() -> RunSubmission.check(r.toBuilder().setTrain(true).build(), node))
        .hasMessageContaining("trains its own variants, longdpo and dpo");
    SubmitRequest searchOnly = r.toBuilder().clearSettingsHocon()
        .setTestbed(Testbed.newBuilder().setQuick(true).setSearchOnly(true)).build();
    assertThat(RunSubmission.isDemoJob(searchOnly)).isFalse();
    RunSubmission.Checked s = RunSubmission.check(searchOnly, node);
    assertThat(s.trains()).isFalse();
    assertThat(s.outcomeConfig()).isNull();
    assertThat(s.tasks()).as("seed 1: the testbed's training seed")
        .isEqualTo(quick.trainTasks(node, 1).stream().map(TaskSpecs::of).toList());
    assertThatThrownBy(() -> RunSubmission.check(searchOnly.toBuilder().setSettingsHocon("longdpo.train.beta = 0.2")
        .build(), node)).hasMessageContaining("does not train");
  }

  @Test
  void variantsAreNamedCheckedAndFrozenWithTheirOverrides() throws Exception {
    Config node = ConfigFactory.parseString("longdpo.train { beta = 0.1, batch-pairs = 8 }").withFallback(CONFIG);
    SubmitRequest.Builder model = request().setModel(ModelFiles.newBuilder().setName("m")).setTrain(true);
    SubmitRequest r = model.clone().addVariants(Variant.newBuilder().setName("longdpo"))
        .addVariants(Variant.newBuilder().setName("longdpo-b0.3").putOverrides("beta", "0.3")).build();
    RunSubmission.Checked c = RunSubmission.check(r, node);
    Path run = dir.resolve("runs").resolve("v1");
    RunSubmission.write(run, r, c, new ClusterRunFiles.Submitted("v1", 1, 0, "model", false, "p", "s",
        RunSubmission.requestHash(r), true, List.of("longdpo", "longdpo-b0.3"), false, 0));
    Config train = ConfigFactory.parseFile(run.resolve(ClusterRunFiles.TRAIN).toFile());
    assertThat(train.getDouble("longdpo.train.variants.\"longdpo-b0.3\".beta")).isEqualTo(0.3);
    assertThat(train.getDouble("longdpo.train.beta")).isEqualTo(0.1);

    assertThatThrownBy(() -> RunSubmission.check(model.clone().setTrain(false)
        .addVariants(Variant.newBuilder().setName("a")).build(), node)).hasMessageContaining("does not train");
    assertThatThrownBy(() -> RunSubmission.check(model.clone().addVariants(Variant.newBuilder().setName("a"))
        .addVariants(Variant.newBuilder().setName("a")).build(), node)).hasMessageContaining("'a' given twice");
    assertThatThrownBy(() -> RunSubmission.check(model.clone().addVariants(Variant.newBuilder().setName("a")
        .putOverrides("betta", "1")).build(), node)).hasMessageContaining("'betta' is not a train setting");
    assertThatThrownBy(() -> RunSubmission.check(model.clone().addVariants(Variant.newBuilder().setName("../a"))
        .build(), node)).hasMessageContaining("letters, digits");
  }

  @Test
  void aStagedModelIsCopiedFromTheRunRootAndCheckedByItsHash() throws Exception {
    Path staged = Files.createDirectories(dir.resolve("incoming/model-abc"));
    Files.writeString(staged.resolve("config.json"), "{}");
    String good = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"; // sha256 of "{}"
    SubmitRequest.Builder r = request().setModel(ModelFiles.newBuilder().setName("m").setStaged("incoming/model-abc")
        .addFiles(ModelFile.newBuilder().setName("config.json").setSha256(good)));
    RunSubmission.Checked c = RunSubmission.check(r.build(), CONFIG);
    Path run = dir.resolve("runs").resolve("s1");
    RunSubmission.write(run, r.build(), c, new ClusterRunFiles.Submitted("s1", 1, 0, "model", false, "p", "s", "h", false,
        List.of(), false, 0));
    assertThat(run.resolve("base/config.json")).hasContent("{}");

    SubmitRequest bad = request().setModel(ModelFiles.newBuilder().setName("m").setStaged("incoming/model-abc")
        .addFiles(ModelFile.newBuilder().setName("config.json").setSha256("00"))).build();
    assertThatThrownBy(() -> RunSubmission.write(dir.resolve("runs").resolve("s2"), bad, c,
        new ClusterRunFiles.Submitted("s2", 2, 0, "model", false, "p", "s", "h", false, List.of(), false, 0)))
        .hasMessageContaining("sha256 is not the one submitted");
    assertThat(dir.resolve("runs").resolve("s2")).doesNotExist();
    SubmitRequest outside = request().setModel(ModelFiles.newBuilder().setName("m").setStaged("../elsewhere")
        .addFiles(ModelFile.newBuilder().setName("config.json").setSha256(good))).build();
    assertThatThrownBy(() -> RunSubmission.write(dir.resolve("runs").resolve("s3"), outside, c,
        new ClusterRunFiles.Submitted("s3", 3, 0, "model", false, "p", "s", "h", false, List.of(), false, 0)))
        .hasMessageContaining("is not under");
  }

  @Test
  void runIdsNameDirectories() {
    assertThat(RunSubmission.ID.matcher("kill-search_2.b").matches()).isTrue();
    for (String bad : new String[] {"", "../x", "a/b", ".hidden", "x".repeat(65), "a b"}) {
      assertThat(RunSubmission.ID.matcher(bad).matches()).as(bad).isFalse();
    }
  }
}
