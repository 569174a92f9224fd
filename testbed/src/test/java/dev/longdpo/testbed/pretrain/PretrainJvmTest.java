package dev.longdpo.testbed.pretrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.longdpo.model.checkpoint.WeightsHash;
import dev.longdpo.model.runtime.SiblingJvm;
import dev.longdpo.testbed.TestbedSettings;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base model is pretrained in a JVM of its own: a real child process, started from the test's
 * class path, on a base small enough to train in a few seconds.
 */
class PretrainJvmTest {

  /** A few seconds' base (as PretrainDeterminismIT's): 60 documents, 2 layers 32 wide, one epoch. */
  private static final Map<String, Object> SMALL_BASE = Map.of(
      "longdpo.testbed.corpus.documents", 60,
      "longdpo.testbed.tokenizer.max-vocabulary", 512,
      "longdpo.testbed.base-model.hidden-size", 32,
      "longdpo.testbed.base-model.intermediate-size", 64,
      "longdpo.testbed.base-model.layers", 2,
      "longdpo.testbed.pretrain.epochs", 1,
      "longdpo.testbed.pretrain.batch-tokens", 512,
      "longdpo.testbed.pretrain.heldout-documents", 10,
      "longdpo.testbed.pretrain.sample-tasks", 0);

  private static final Pattern CHILD_PID = Pattern.compile("pretraining in a JVM of its own \\(pid (\\d+)\\)");

  @TempDir Path dir;

  @Test
  void theStorePretrainsInAnotherProcessWithTheSameBitsAsThisOne() throws Exception {
    Config config = config(dir.resolve("home"));
    Recorder seen = new Recorder();

    Path model = BaseModelStore.of(config).ensure(seen);

    Matcher pid = CHILD_PID.matcher(String.join("\n", seen.infos));
    assertThat(pid.find()).as("the info lines name the pretraining JVM: %s", seen.infos).isTrue();
    assertThat(Long.parseLong(pid.group(1))).isNotEqualTo(ProcessHandle.current().pid());
    assertThat(seen.phases).as("phases relayed from the other JVM").contains("pretrain");
    assertThat(seen.progress).as("progress relayed within the training phase").isNotEmpty();
    assertThat(model).isEqualTo(BaseModelStore.of(config).modelDir());
    assertThat(model.resolve("config.json")).exists();

    Path here = dir.resolve("in-this-jvm");
    new Pretrainer(TestbedSettings.create(config)).run(here, dir.resolve("in-this-jvm.work"), PretrainListener.SILENT);
    assertThat(WeightsHash.of(model)).as("weights pretrained in the other JVM against this one's")
        .isEqualTo(WeightsHash.of(here));
  }

  @Test
  void aFailedPretrainingThrowsWithTheOtherJvmsReasonAndLeavesNoModel() throws Exception {
    Config config = config(dir.resolve("home"));
    BaseModelStore store = BaseModelStore.of(config);
    // A file where the pretraining wants its work directory: it cannot checkpoint, so it fails.
    Path work = store.modelDir().resolveSibling("work");
    Files.createDirectories(work.getParent());
    Files.writeString(work, "not a directory");

    assertThatThrownBy(() -> store.ensure(new Recorder()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("exit code " + PretrainJvmMain.FAILED)
        .hasMessageContaining(work.toString());
    assertThat(store.exists()).isFalse();
  }

  @Test
  void thePretrainingJvmGoesWhenTheProcessThatStartedItIsKilled() throws Exception {
    Path home = dir.resolve("home");
    List<String> settings = new ArrayList<>();
    SMALL_BASE.forEach((k, v) -> settings.add(k + "=" + v));
    // Long enough that it is still training when killed: 200 epochs, minutes.
    settings.addAll(List.of("longdpo.testbed.pretrain.epochs=200", "longdpo.home=" + home));
    List<String> command = SiblingJvm.command(SiblingJvm.djlProperties(), PretrainingParentMain.class.getName(), settings);
    Process parent = new ProcessBuilder(command).redirectErrorStream(true).start();
    ProcessHandle child = null;
    try {
      // Not closed before the kill: the parent would block writing its next line.
      var out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while (child == null && (line = out.readLine()) != null) {
        Matcher pid = CHILD_PID.matcher(line);
        if (pid.find()) {
          child = ProcessHandle.of(Long.parseLong(pid.group(1))).orElseThrow();
        }
      }
      assertThat(child).as("the parent's output names its pretraining JVM").isNotNull();
      assertThat(child.isAlive()).as("the pretraining JVM, before the kill").isTrue();

      parent.destroyForcibly(); // SIGKILL: no shutdown hook runs
      parent.waitFor();

      child.onExit().get(30, TimeUnit.SECONDS); // throws TimeoutException if it lives on
      Config config = config(home).withValue("longdpo.testbed.pretrain.epochs", ConfigValueFactory.fromAnyRef(200));
      assertThat(BaseModelStore.of(config).exists()).as("killed mid-training, not finished").isFalse();
    } finally {
      parent.destroyForcibly();
      if (child != null) {
        child.destroyForcibly();
      }
    }
  }

  @Test
  void progressTextSurvivesTabsNewlinesAndBackslashes() {
    String awkward = "a\tb\nc\\n d\\";
    Recorder seen = new Recorder();
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    PretrainListener writer = ProgressLines.writer(new PrintStream(written, true, StandardCharsets.UTF_8));

    writer.phase(awkward, 7);
    writer.progress(3, awkward);
    writer.info(awkward);
    List<String> lines = written.toString(StandardCharsets.UTF_8).lines().toList();
    lines.forEach(l -> assertThat(ProgressLines.dispatch(l, seen)).isEmpty());

    assertThat(lines).hasSize(3);
    assertThat(seen.phases).containsExactly(awkward);
    assertThat(seen.progress).containsExactly("3 " + awkward);
    assertThat(seen.infos).containsExactly(awkward);
    assertThat(ProgressLines.dispatch(ProgressLines.failure(awkward), seen)).contains(awkward);
    assertThatThrownBy(() -> ProgressLines.dispatch(ProgressLines.PREFIX + "progress\tmany", seen))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Config config(Path home) {
    Map<String, Object> values = new HashMap<>(SMALL_BASE);
    values.put("longdpo.home", home.toString());
    return ConfigFactory.parseMap(values).withFallback(ConfigFactory.load()).resolve();
  }

  /** Records what a listener is told. */
  private static final class Recorder implements PretrainListener {
    final List<String> phases = new ArrayList<>();
    final List<String> progress = new ArrayList<>();
    final List<String> infos = new ArrayList<>();

    @Override
    public void phase(String name, long total) {
      phases.add(name);
    }

    @Override
    public void progress(long done, String detail) {
      progress.add(done + " " + detail);
    }

    @Override
    public void info(String line) {
      infos.add(line);
    }
  }
}
