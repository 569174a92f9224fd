package dev.longdpo.model;

import com.typesafe.config.Config;
import dev.longdpo.config.Validate;
import dev.longdpo.model.runtime.DjlRuntime;
import java.nio.file.Path;

/**
 * The model module's settings, read once from {@code longdpo.model}.
 *
 * @param nativeCache where DJL extracts its natives
 * @param intraOpThreads threads per tensor operation
 * @param interOpThreads threads across independent operations
 * @param trainingThreads threads per tensor operation inside a training step (0: every core)
 */
public record ModelSettings(Path nativeCache, int intraOpThreads, int interOpThreads, int trainingThreads) {

  /** Reads and validates {@code longdpo.model}. */
  public static ModelSettings create(Config config) {
    return new ModelSettings(
        Validate.path(config, "longdpo.model.native-cache"),
        Validate.intInRange(config, "longdpo.model.intra-op-threads", 1, 1024),
        Validate.intInRange(config, "longdpo.model.inter-op-threads", 1, 1024),
        Validate.intInRange(config, "longdpo.model.training-threads", 0, 1024));
  }

  /** Applies these settings to DJL; call before the first model or tokenizer is created. */
  public void applyToRuntime() {
    DjlRuntime.configure(nativeCache, intraOpThreads, interOpThreads);
    DjlRuntime.configureTrainingThreads(trainingThreads);
  }
}
