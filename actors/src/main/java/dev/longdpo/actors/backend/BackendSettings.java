package dev.longdpo.actors.backend;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValueFactory;
import dev.longdpo.config.ConfigLoader;
import dev.longdpo.config.SettingsException;
import dev.longdpo.config.Validate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Which backend plays each role of the search ({@code longdpo.backends}), checked together at
 * start. {@code embedded} is the testbed's (its tiny base, rule judge, critic and fact checker);
 * {@code djl} is an in-process Hugging Face checkpoint, which the policy and the reference can be
 * today.
 *
 * @param policy samples steps and whole answers
 * @param model the policy's checkpoint directory when the policy is {@code djl}
 * @param referenceModel the reference's checkpoint directory when the reference is its own {@code
 *     djl} model; empty when the policy is the reference
 */
public record BackendSettings(Kind policy, Kind judge, Kind critic, Kind facts, Optional<Path> model,
    Optional<Path> referenceModel) {

  /** The section. */
  public static final String PATH = "longdpo.backends";

  /** The roles, as keys of the section (besides {@code model}). */
  public static final List<String> ROLES = List.of("policy", "reference", "judge", "critic", "facts");

  /** A backend. */
  public enum Kind {
    /** The testbed's, in this JVM. */
    EMBEDDED,
    /** A Hugging Face checkpoint run with DJL in this JVM. */
    DJL
  }

  /** Reads and checks {@code longdpo.backends}. */
  public static BackendSettings create(Config c) {
    for (String key : c.getConfig(PATH).root().keySet()) {
      if (!key.equals("model") && !key.equals("reference-model") && !ROLES.contains(key)) {
        throw Validate.bad(c, PATH + "." + key,
            "a role: one of " + String.join(", ", ROLES) + ", or model, reference-model");
      }
    }
    Kind policy = Validate.oneOf(c, PATH + ".policy", Kind.class);
    String reference = c.getString(PATH + ".reference");
    Validate.check(c, PATH + ".reference", reference.equals("policy") || reference.equals("djl"),
        "policy (the sampling model is the reference, its log-probs taken by the sampler) or djl (reference-model"
            + " scores the pairs)");
    Kind judge = embeddedOnly(c, "judge");
    Kind critic = embeddedOnly(c, "critic");
    Kind facts = embeddedOnly(c, "facts");
    Optional<Path> model = Optional.empty();
    if (policy == Kind.DJL) {
      model = Optional.of(checkpointDir(c, PATH + ".model", "the checkpoint directory a djl policy loads (--model DIR)"));
    }
    Optional<Path> referenceModel = Optional.empty();
    if (reference.equals("djl")) {
      referenceModel = Optional.of(checkpointDir(c, PATH + ".reference-model", "the reference's checkpoint directory"));
    }
    // Every policy built runs in this JVM, so the embedded critic's guidance (a decoding hook on the
    // policy's logits) always reaches it; a remote policy will need the critique in its prompt.
    return new BackendSettings(policy, judge, critic, facts, model, referenceModel);
  }

  private static Path checkpointDir(Config c, String key, String what) {
    Validate.check(c, key, !c.getString(key).isBlank(), what);
    Path dir = Validate.path(c, key);
    Validate.check(c, key, Files.isDirectory(dir), "an existing checkpoint directory");
    return dir;
  }

  private static Kind embeddedOnly(Config c, String role) {
    Kind k = Validate.oneOf(c, PATH + "." + role, Kind.class);
    Validate.check(c, PATH + "." + role, k == Kind.EMBEDDED,
        "embedded: only the policy runs as a djl checkpoint; the " + role + " is the testbed's");
    return k;
  }

  /**
   * A backend config file's keys (the section's, at the file's root) under {@code longdpo.backends},
   * over {@code base}; a file that does not parse is named with its line.
   */
  public static Config withFile(Config base, Path file) {
    if (!Files.isRegularFile(file)) {
      throw new SettingsException("", file + ": backend config file not found");
    }
    try {
      Config f = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
      return f.atPath(PATH).withFallback(base).resolve();
    } catch (ConfigException e) {
      throw new SettingsException("", ConfigLoader.where(file, e), e);
    }
  }

  /** {@code base} with the reference its own checkpoint directory, which scores the pairs. */
  public static Config withReferenceModel(Config base, Path dir) {
    return base.withValue(PATH + ".reference", ConfigValueFactory.fromAnyRef("djl", "--reference-model"))
        .withValue(PATH + ".reference-model", ConfigValueFactory.fromAnyRef(dir.toString(), "--reference-model"));
  }

  /** {@code base} with the policy a checkpoint directory run with DJL. */
  public static Config withModel(Config base, Path dir) {
    return base.withValue(PATH + ".policy", ConfigValueFactory.fromAnyRef("djl", "--model"))
        .withValue(PATH + ".model", ConfigValueFactory.fromAnyRef(dir.toString(), "--model"));
  }
}
