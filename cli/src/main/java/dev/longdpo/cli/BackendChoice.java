package dev.longdpo.cli;

import com.typesafe.config.Config;
import dev.longdpo.actors.backend.BackendSettings;
import java.nio.file.Path;

/**
 * The backend options commands share: {@code --backend-config FILE}, then {@code --model DIR} and
 * {@code --reference-model DIR} over it.
 */
public final class BackendChoice {

  private BackendChoice() {}

  /**
   * The configuration with a backend file's keys under {@code longdpo.backends} and a model
   * directory as the djl policy, each when given.
   */
  public static Config apply(Config config, Path backendConfig, Path model) {
    return apply(config, backendConfig, model, null);
  }

  /** As above, with a reference model of its own when {@code referenceModel} is given. */
  public static Config apply(Config config, Path backendConfig, Path model, Path referenceModel) {
    Config c = backendConfig == null ? config : BackendSettings.withFile(config, backendConfig);
    c = model == null ? c : BackendSettings.withModel(c, model);
    return referenceModel == null ? c : BackendSettings.withReferenceModel(c, referenceModel);
  }
}
