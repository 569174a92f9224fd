package dev.longdpo.cli;

import com.typesafe.config.Config;
import dev.longdpo.config.ConfigLoader;
import dev.longdpo.model.ModelSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Options every command takes, before or after its name: a configuration file and overrides. Loads the configuration
 * once and applies the model runtime settings (native cache, threads) before any model is made.
 */
public final class GlobalOptions {

  @Option(
      names = "--config",
      scope = ScopeType.INHERIT,
      paramLabel = "<file>",
      description = "HOCON file overriding the defaults (see each module's reference.conf).")
  Path configFile;

  @Option(
      names = "--set",
      scope = ScopeType.INHERIT,
      paramLabel = "<key=value>",
      description = "Override one setting, e.g. --set longdpo.model.intra-op-threads=1.")
  Map<String, String> overrides = new LinkedHashMap<>();

  private Config config;

  /** The global options of the command line that {@code spec} belongs to. */
  public static GlobalOptions of(CommandSpec spec) {
    return ((LongdpoCommand) spec.root().userObject()).global;
  }

  /** {@code longdpo.home}, with a leading {@code ~/} expanded. */
  public static java.nio.file.Path home(Config config) {
    return dev.longdpo.config.Validate.path(config, "longdpo.home");
  }

  /** The loaded configuration (once per command). */
  public Config config() {
    if (config == null) {
      config = ConfigLoader.load(Optional.ofNullable(configFile), overrides);
      ModelSettings.create(config).applyToRuntime();
    }
    return config;
  }
}
