package dev.longdpo.coordinator.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.longdpo.actors.backend.ModelPromptEncoder;
import dev.longdpo.actors.backend.PromptEncoder;
import dev.longdpo.actors.backend.TestbedFacts;
import dev.longdpo.coordinator.SearchBackends;
import dev.longdpo.coordinator.run.ReferenceRecord;
import dev.longdpo.coordinator.run.RunDirectory;
import dev.longdpo.coordinator.search.SearchSettings;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.PromptTemplate;
import dev.longdpo.config.files.AtomicDirectory;
import dev.longdpo.model.checkpoint.WeightsHash;
import dev.longdpo.testbed.TestbedSettings;
import dev.longdpo.testbed.pretrain.BaseModelStore;
import dev.longdpo.testbed.pretrain.PretrainListener;
import dev.longdpo.protocol.search.TaskSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;

/**
 * Gets a run ready to search, on a blocking thread of the manager's node: its settings (from the
 * run's search.conf), its base model in {@code base/} (for the testbed: pretrained on this node or
 * reused, then copied once) with its sha256, and the prompts' token ids.
 */
final class RunPreparation {

  /** The fixed prompt ids of the scripted policy (which never reads them). */
  private static final int[] TESTING_PROMPT = {1, 4, 7, 5};

  private RunPreparation() {}

  record Result(SearchSettings settings, SearchBackends backends, String baseSha256) {}

  /**
   * @param progress hears what preparation is doing now (pretraining's phase and step), for status
   */
  static Result prepare(Path runDir, ClusterRunFiles.Submitted submitted, Config nodeConfig, Logger log,
      java.util.function.Consumer<String> progress) {
    try {
      Config config = ConfigFactory.parseFile(runDir.resolve(ClusterRunFiles.SEARCH).toFile())
          .withFallback(nodeConfig).resolve();
      SearchSettings settings = SearchSettings.create(config);
      TestbedFacts facts = new TestbedFacts(TestbedSettings.create(nodeConfig).similarityThreshold());
      if (submitted.backend().equals("testing")) {
        return new Result(settings, new SearchBackends(t -> new PromptEncoder.EncodedPrompt(TESTING_PROMPT.clone(),
            PromptTemplate.INST.apply(t.prompt())), facts), "");
      }
      Path base = runDir.resolve(ClusterRunFiles.BASE);
      if (submitted.backend().equals("testbed") && !Files.exists(base)) {
        copyTestbedBase(base, nodeConfig, log, progress);
      }
      String sha = WeightsHash.of(base);
      RunDirectory.existing(runDir).recordReference(ReferenceRecord.fromSampler(sha));
      Map<String, PromptEncoder.EncodedPrompt> prompts = new HashMap<>();
      try (LanguageModel model = LanguageModel.load(base)) {
        PromptEncoder encoder = new ModelPromptEncoder(model);
        for (TaskSpec t : RunDirectory.existing(runDir).taskSpecs()) {
          prompts.put(t.id(), encoder.encode(t));
        }
      }
      return new Result(settings, new SearchBackends(t -> prompts.get(t.id()), facts), sha);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copyTestbedBase(Path base, Config config, Logger log, java.util.function.Consumer<String> progress)
      throws IOException {
    Path home = dev.longdpo.config.Validate.path(config, "longdpo.home");
    BaseModelStore store = new BaseModelStore(home, TestbedSettings.create(config));
    if (!store.exists()) {
      log.info("no testbed base model in {} yet: pretraining it (a few minutes, once)", home);
    }
    Path source = store.ensure(new PretrainListener() {
      private String phase = "";
      private long total;

      @Override
      public void phase(String name, long total) {
        this.phase = name;
        this.total = total;
        progress.accept("pretraining the testbed base: " + name);
      }

      @Override
      public void progress(long done, String detail) {
        progress.accept("pretraining the testbed base: " + phase + " " + done + "/" + total
            + (detail.isEmpty() ? "" : " (" + detail + ")"));
      }

      @Override
      public void info(String line) {
        log.info("pretraining: {}", line);
      }
    });
    progress.accept("copying the base model into the run");
    AtomicDirectory.write(base, tmp -> {
      try (Stream<Path> files = Files.list(source)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          if (Files.isRegularFile(f)) {
            Files.copy(f, tmp.resolve(f.getFileName().toString()));
          }
        }
      }
    });
  }
}
