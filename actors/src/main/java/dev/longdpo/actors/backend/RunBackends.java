package dev.longdpo.actors.backend;

import com.typesafe.config.Config;
import dev.longdpo.config.files.AtomicDirectory;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.PromptTemplate;
import dev.longdpo.model.checkpoint.WeightsHash;
import dev.longdpo.protocol.search.TaskSpec;
import dev.longdpo.testbed.TestbedSettings;
import dev.longdpo.testbed.pretrain.BaseModelStore;
import dev.longdpo.testbed.pretrain.PretrainListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;

/**
 * The in-process backends a cluster run searches with, made ready on the run manager's node: the
 * run's base model (for the testbed's: pretrained on this node or reused, then copied once into the
 * run), its weights hash, each prompt encoded by it, and the testbed's fact checker. The scripted
 * {@code testing} backend needs no model.
 */
public final class RunBackends {

  /** The fixed prompt ids of the scripted policy (which never reads them). */
  private static final int[] TESTING_PROMPT = {1, 4, 7, 5};

  /**
   * What a run's search needs from its backends.
   *
   * @param baseSha256 the base's weights hash; empty for the scripted backend, which has none
   */
  public record Prepared(PromptEncoder prompts, Facts facts, String baseSha256) {}

  /**
   * The outcome baseline's backends over a run's base model, which closing them frees.
   *
   * @param judge the testbed's judge of whole answers
   */
  public record Answering(PromptEncoder prompts, AnswerSampler sampler, Judge judge, LanguageModel model)
      implements AutoCloseable {
    @Override
    public void close() {
      model.close();
    }
  }

  private RunBackends() {}

  /** Opens the outcome baseline's backends on the model in {@code base}. */
  public static Answering answering(Path base) {
    LanguageModel model = LanguageModel.load(base);
    return new Answering(new ModelPromptEncoder(model), new ModelAnswerSampler(model), new TestbedJudge(), model);
  }

  /**
   * @param base the run's model directory (copied there first for the testbed)
   * @param backend {@code testing}, {@code testbed} or {@code model}
   * @param progress hears what preparation is doing now (pretraining's phase and step), for status
   */
  public static Prepared prepare(Path base, String backend, List<TaskSpec> tasks, Config nodeConfig, Logger log,
      Consumer<String> progress) throws IOException {
    Facts facts = new TestbedFacts(TestbedSettings.create(nodeConfig).similarityThreshold());
    if (backend.equals("testing")) {
      return new Prepared(t -> new PromptEncoder.EncodedPrompt(TESTING_PROMPT.clone(),
          PromptTemplate.INST.apply(t.prompt())), facts, "");
    }
    if (backend.equals("testbed") && !Files.exists(base)) {
      copyTestbedBase(base, nodeConfig, log, progress);
    }
    String sha = WeightsHash.of(base);
    Map<String, PromptEncoder.EncodedPrompt> prompts = new HashMap<>();
    try (LanguageModel model = LanguageModel.load(base)) {
      PromptEncoder encoder = new ModelPromptEncoder(model);
      for (TaskSpec t : tasks) {
        prompts.put(t.id(), encoder.encode(t));
      }
    }
    return new Prepared(t -> prompts.get(t.id()), facts, sha);
  }

  private static void copyTestbedBase(Path base, Config config, Logger log, Consumer<String> progress)
      throws IOException {
    Path home = dev.longdpo.config.Validate.path(config, "longdpo.home");
    BaseModelStore store = BaseModelStore.of(config);
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
