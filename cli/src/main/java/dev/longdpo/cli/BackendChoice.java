package dev.longdpo.cli;

import com.typesafe.config.Config;
import dev.longdpo.actors.backend.BackendSettings;
import java.nio.file.Path;

/** The backend options commands share: {@code --backend-config FILE}, then {@code --model DIR} over it. */
public final class BackendChoice {

  private BackendChoice() {}

  /**
   * The configuration with a backend file's keys under {@code longdpo.backends} and a model
   * directory as the djl policy, each when given.
   */
  public static Config apply(Config config, Path backendConfig, Path model) {
    Config c = backendConfig == null ? config : BackendSettings.withFile(config, backendConfig);
    return model == null ? c : BackendSettings.withModel(c, model);
  }
}
