package dev.longdpo.cli.train;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.longdpo.gpuworker.dpo.DpoSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model variant trained by its own gpu-worker: a name and overrides of {@code longdpo.train},
 * written {@code NAME[:KEY=VALUE,...]}, e.g. {@code longdpo-b0.3:beta=0.3,learning-rate=5e-5}.
 *
 * @param name the variant's name (subscriber id, checkpoint prefix, report row)
 * @param overrides keys under {@code longdpo.train} and their values
 */
public record VariantSpec(String name, Map<String, String> overrides) {

  /** Parses {@code NAME[:KEY=VALUE,...]}; a malformed part is an error naming it. */
  public static VariantSpec parse(String text) {
    int colon = text.indexOf(':');
    String name = colon < 0 ? text : text.substring(0, colon);
    Map<String, String> overrides = new LinkedHashMap<>();
    if (colon >= 0) {
      for (String part : text.substring(colon + 1).split(",")) {
        int eq = part.indexOf('=');
        if (eq <= 0 || eq == part.length() - 1) {
          throw new IllegalArgumentException("--variant " + text + ": '" + part + "' is not KEY=VALUE");
        }
        overrides.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
      }
    }
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException("--variant " + text + ": the name may hold letters, digits, '.', '_' and '-'");
    }
    return new VariantSpec(name, overrides);
  }

  /** The trainer settings: {@code config}'s, with this variant's overrides (validated). */
  public DpoSettings settings(Config config) {
    Map<String, String> keyed = new LinkedHashMap<>();
    overrides.forEach((k, v) -> keyed.put("longdpo.train." + k, v));
    return DpoSettings.create(ConfigFactory.parseMap(keyed, "--variant " + name).withFallback(config));
  }

  /** The default single variant. */
  public static List<VariantSpec> defaults(String name) {
    return List.of(new VariantSpec(name, Map.of()));
  }
}
