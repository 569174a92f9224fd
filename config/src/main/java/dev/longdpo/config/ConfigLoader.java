package dev.longdpo.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Loads the process configuration. Later sources win:
 *
 * <ol>
 *   <li>every module's {@code reference.conf} (defaults, documented key by key);
 *   <li>{@code application.conf} on the class path (only the CLI ships one);
 *   <li>the file given with the global {@code --config FILE};
 *   <li>overrides from the command line ({@code key=value});
 *   <li>{@code -Dkey=value} system properties.
 * </ol>
 */
public final class ConfigLoader {

  private ConfigLoader() {}

  /** Defaults, application.conf and system properties only. */
  public static Config load() {
    return load(Optional.empty(), Map.of());
  }

  /**
   * @param file optional HOCON file; a missing or unparsable file is an error naming it
   * @param overrides {@code key → value} pairs, values parsed as HOCON (numbers, lists, ...)
   */
  public static Config load(Optional<Path> file, Map<String, String> overrides) {
    Config fromFile = ConfigFactory.empty();
    if (file.isPresent()) {
      Path f = file.get();
      if (!Files.isRegularFile(f)) {
        throw new SettingsException("", f + ": config file not found");
      }
      try {
        fromFile = ConfigFactory.parseFile(f.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
      } catch (ConfigException e) {
        throw new SettingsException("", where(f, e), e);
      }
    }
    Config fromArgs = ConfigFactory.empty();
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      try {
        fromArgs =
            ConfigFactory.parseString(e.getKey() + " = " + e.getValue()).withFallback(fromArgs);
      } catch (ConfigException ex) {
        throw new SettingsException(
            e.getKey(), "override " + e.getKey() + "=" + e.getValue() + ": " + ex.getMessage(), ex);
      }
    }
    ConfigFactory.invalidateCaches();
    try {
      return ConfigFactory.systemProperties()
          .withFallback(fromArgs)
          .withFallback(fromFile)
          .withFallback(ConfigFactory.defaultApplication())
          .withFallback(ConfigFactory.defaultReference())
          .resolve();
    } catch (ConfigException e) {
      throw new SettingsException("", e.getMessage(), e);
    }
  }

  /**
   * "FILE, line N: what is wrong". Typesafe's own message starts with its origin description (the
   * path and line again), so that prefix is cut off rather than printed twice.
   */
  public static String where(Path file, ConfigException e) {
    ConfigOrigin origin = e.origin();
    String detail = e.getMessage();
    if (origin != null && detail.startsWith(origin.description() + ": ")) {
      detail = detail.substring(origin.description().length() + 2);
    }
    int line = origin == null ? -1 : origin.lineNumber();
    return line > 0 ? file + ", line " + line + ": " + detail : file + ": " + detail;
  }
}
