package dev.longdpo.coordinator.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import dev.longdpo.actors.backend.TestbedTasks;
import dev.longdpo.actors.host.EvaluatorHost;
import dev.longdpo.config.SettingsException;
import dev.longdpo.coordinator.run.RunDirectory;
import dev.longdpo.coordinator.run.RunManifest;
import dev.longdpo.coordinator.search.SearchSettings;
import dev.longdpo.config.files.AtomicDirectory;
import dev.longdpo.protocol.search.TaskSpec;
import dev.longdpo.protocol.control.SubmitRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a submit request into a run directory under the run root, whole or not at all: everything
 * is written into a temporary directory that is renamed into place last. Checks the request first
 * and names what is wrong (the client's file name and line, the settings key).
 */
final class RunSubmission {

  /** What a run id may be: it names a directory and travels in pair ids. */
  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,63}");

  private static final Set<String> MODEL_FILES = Set.of("config.json", "tokenizer.json", "model.safetensors",
      "generation_config.json", "tokenizer_config.json");

  private RunSubmission() {}

  /**
   * A parsed, checked request.
   *
   * @param outcomeConfig the outcome baseline's settings ({@code longdpo.outcome}) when the run is
   *     the demo's job; else null
   */
  record Checked(List<TaskSpec> tasks, SearchSettings settings, Config searchConfig, Config trainConfig,
      Config evalConfig, List<TaskSpec> evalTasks, String backend, String policyName, Config outcomeConfig) {

    /** Whether the run trains (asked for, or the demo's job). */
    boolean trains() {
      return trainConfig != null;
    }
  }

  /** The variants of the demo's job: stepwise DPO on the search's pairs, and the outcome baseline. */
  static final List<String> DEMO_VARIANTS = List.of(RunManager.STEPWISE_VARIANT, RunManager.OUTCOME_VARIANT);

  /** Whether the request is the demo's whole job: the testbed, without prompts, not search-only. */
  static boolean isDemoJob(SubmitRequest r) {
    return r.hasTestbed() && r.getPromptsJsonl().isEmpty() && !r.getTestbed().getSearchOnly();
  }

  /** The demo seed the request gives (0 means 1). */
  static long demoSeed(SubmitRequest r) {
    return r.getTestbed().getSeed() == 0 ? 1 : r.getTestbed().getSeed();
  }

  /** Checks the request; throws naming the problem. */
  static Checked check(SubmitRequest r, Config nodeConfig) throws SubmitRejected {
    String backend = backend(r);
    boolean demo = isDemoJob(r);
    if (demo && (r.getTrain() || r.getVariantsCount() > 0)) {
      throw new SubmitRejected("train: the demo's job (--testbed without --prompts) trains its own variants, "
          + String.join(" and ", DEMO_VARIANTS) + "; give --prompts to choose, or --search-only");
    }
    if (r.hasTestbed() && r.getTestbed().getSeed() < 0) {
      throw new SubmitRejected("seed: 1 or more, got " + r.getTestbed().getSeed());
    }
    if (r.hasTestbed() && r.getPromptsJsonl().isEmpty()) {
      // The demo's mode and seed: its search, training, outcome and evaluation settings.
      try {
        nodeConfig = TestbedTasks.demoSettings(nodeConfig, r.getTestbed().getQuick(), demoSeed(r));
      } catch (SettingsException | ConfigException e) {
        throw new SubmitRejected("--testbed: this node's longdpo.demo settings: " + e.getMessage());
      }
    }
    boolean trains = r.getTrain() || demo;
    if (r.getTrain() && backend.equals("testing")) {
      throw new SubmitRejected("train: the scripted policy has no model to train (give --model DIR or --testbed)");
    }
    Config search = searchConfig(r, nodeConfig, trains);
    SearchSettings settings;
    try {
      settings = SearchSettings.create(search);
    } catch (SettingsException | ConfigException e) {
      throw new SubmitRejected(name(r.getSettingsName(), "settings") + ": " + e.getMessage());
    }
    List<TaskSpec> tasks = tasks(r, nodeConfig);
    if (r.getLimit() < 0) {
      throw new SubmitRejected("limit: must be 0 (all prompts) or more, got " + r.getLimit());
    }
    if (r.getLimit() > 0 && r.getLimit() < tasks.size()) {
      tasks = tasks.subList(0, r.getLimit());
    }
    if (tasks.isEmpty()) {
      throw new SubmitRejected(name(r.getPromptsName(), "prompts") + ": no prompts");
    }
    if (r.hasModel()) {
      for (var f : r.getModel().getFilesList()) {
        if (!MODEL_FILES.contains(f.getName())) {
          throw new SubmitRejected("model " + r.getModel().getName() + ": unexpected file '" + f.getName()
              + "' (a model directory holds " + MODEL_FILES + ")");
        }
      }
    }
    String policy = switch (backend) {
      case "testing" -> "testing-policy";
      case "model" -> "model/" + r.getModel().getName();
      default -> "testbed-base/" + (r.getTestbed().getQuick() ? "quick" : "full");
    };
    Config variants = variants(r, nodeConfig);
    Config train = null;
    Config eval = null;
    List<TaskSpec> evalTasks = List.of();
    if (trains) {
      train = search.getConfig("longdpo.train").withFallback(variants);
      eval = search.getConfig("longdpo.eval");
      try {
        // The held-out split's tasks: its own seed and subjects, none of the training prompts'.
        evalTasks = TestbedTasks.heldOut(search);
      } catch (SettingsException | ConfigException e) {
        throw new SubmitRejected(name(r.getSettingsName(), "settings") + ": " + e.getMessage());
      }
    }
    Config outcome = demo ? search.getConfig("longdpo.outcome") : null;
    if (outcome != null) {
      try {
        dev.longdpo.coordinator.outcome.OutcomeSettings.create(search);
      } catch (SettingsException | ConfigException e) {
        throw new SubmitRejected("longdpo.outcome: " + e.getMessage());
      }
    }
    return new Checked(tasks, settings, search.getConfig("longdpo.search"), train, eval, evalTasks, backend, policy,
        outcome);
  }

  /** Writes the run's directory {@code runRoot/runs/<id>} (atomically). */
  static void write(Path runDir, SubmitRequest r, Checked c, ClusterRunFiles.Submitted submitted) throws IOException {
    AtomicDirectory.write(runDir, tmp -> {
      List<TaskSpec> specs = c.tasks();
      RunManifest manifest = new RunManifest(submitted.runId(), specs.size(), RunDirectory.hash(specs),
          c.policyName(), RunManifest.describe(c.settings()));
      RunDirectory.openOrCreate(tmp, manifest, specs);
      Files.writeString(tmp.resolve(ClusterRunFiles.SEARCH),
          c.searchConfig().atPath("longdpo.search").root().render(ConfigRenderOptions.concise().setFormatted(true)),
          StandardCharsets.UTF_8);
      if (c.outcomeConfig() != null) {
        Files.writeString(tmp.resolve(ClusterRunFiles.OUTCOME),
            c.outcomeConfig().atPath("longdpo.outcome").root().render(ConfigRenderOptions.concise().setFormatted(true)),
            StandardCharsets.UTF_8);
      }
      if (c.trains()) {
        Files.writeString(tmp.resolve(ClusterRunFiles.TRAIN),
            c.trainConfig().atPath("longdpo.train").root().render(ConfigRenderOptions.concise().setFormatted(true)),
            StandardCharsets.UTF_8);
        Files.writeString(tmp.resolve(EvaluatorHost.EVAL_CONF),
            c.evalConfig().atPath("longdpo.eval").root().render(ConfigRenderOptions.concise().setFormatted(true)),
            StandardCharsets.UTF_8);
        TestbedTasks.write(tmp.resolve(EvaluatorHost.EVAL_PROMPTS), c.evalTasks());
      }
      ClusterRunFiles.write(tmp.resolve(ClusterRunFiles.SUBMIT), submitted);
      ClusterRunFiles.write(tmp.resolve(ClusterRunFiles.STATE), ClusterRunFiles.State.queued());
      if (r.hasModel()) {
        Path base = Files.createDirectories(tmp.resolve(ClusterRunFiles.BASE));
        Path incoming = runDir.getParent().getParent().resolve("incoming").normalize();
        Path staged = r.getModel().getStaged().isEmpty() ? null
            : runDir.getParent().getParent().resolve(r.getModel().getStaged()).normalize();
        if (staged != null && !staged.startsWith(incoming)) {
          throw new IOException("model.staged " + r.getModel().getStaged() + " is not under " + incoming);
        }
        for (var f : r.getModel().getFilesList()) {
          if (staged == null) {
            Files.write(base.resolve(f.getName()), f.getContents().toByteArray());
          } else {
            copyChecked(staged.resolve(f.getName()), base.resolve(f.getName()), f.getSha256());
          }
        }
      }
    });
  }

  /**
   * The request's variants as a {@code variants} block of the training settings: each variant's
   * overrides under its name. Names and keys are checked here, values when a trainer starts.
   */
  private static Config variants(SubmitRequest r, Config nodeConfig) throws SubmitRejected {
    if (r.getVariantsCount() > 0 && !r.getTrain()) {
      throw new SubmitRejected("variants: given, but the run does not train (add --train)");
    }
    Config out = ConfigFactory.empty();
    java.util.Set<String> names = new java.util.HashSet<>();
    for (dev.longdpo.protocol.control.Variant v : r.getVariantsList()) {
      if (!v.getName().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
        throw new SubmitRejected("variant '" + v.getName() + "': letters, digits, '.', '_' and '-' only, 1 to 64");
      }
      if (!names.add(v.getName())) {
        throw new SubmitRejected("variant '" + v.getName() + "' given twice");
      }
      for (var o : v.getOverridesMap().entrySet()) {
        if (o.getKey().equals("variants") || !nodeConfig.hasPath("longdpo.train." + o.getKey())) {
          throw new SubmitRejected("variant '" + v.getName() + "': '" + o.getKey()
              + "' is not a train setting (see longdpo.train in reference.conf)");
        }
        out = out.withValue(com.typesafe.config.ConfigUtil.joinPath("variants", v.getName(), o.getKey()),
            com.typesafe.config.ConfigValueFactory.fromAnyRef(o.getValue(), "variant " + v.getName()));
      }
    }
    return out;
  }

  /** Copies a staged model file, checking its sha256 (a staging area shared by every node). */
  private static void copyChecked(Path from, Path to, String sha256) throws IOException {
    if (!Files.exists(from)) {
      throw new IOException(from + ": the staged model file is missing (the run root is shared by every node?)");
    }
    Files.copy(from, to);
    try (var in = Files.newInputStream(to)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 20];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      if (!HexFormat.of().formatHex(md.digest()).equals(sha256)) {
        throw new IOException(from + ": its sha256 is not the one submitted (changed after staging?)");
      }
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The request's hash without its id, so a retried submit is recognised. */
  static String requestHash(SubmitRequest r) {
    try {
      byte[] bytes = r.toBuilder().clearId().build().toByteArray();
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The settings a run uses (longdpo.search and longdpo.train): the request's over the node's. */
  static Config searchConfig(SubmitRequest r, Config nodeConfig, boolean trains) throws SubmitRejected {
    Config overrides;
    try {
      overrides = ConfigFactory.parseString(r.getSettingsHocon());
    } catch (ConfigException e) {
      throw new SubmitRejected(name(r.getSettingsName(), "settings") + ": not HOCON: " + e.getMessage());
    }
    if (!overrides.hasPath("longdpo")) {
      overrides = overrides.atPath("longdpo.search");
    }
    for (String key : overrides.root().keySet()) {
      if (!key.equals("longdpo")) {
        throw new SubmitRejected(name(r.getSettingsName(), "settings") + ": '" + key
            + "' is not a search setting (give longdpo.search keys, e.g. k = 2)");
      }
    }
    Config longdpo = overrides.getConfig("longdpo");
    for (String key : longdpo.root().keySet()) {
      if (!key.equals("search") && !key.equals("train") && !key.equals("eval")) {
        throw new SubmitRejected(name(r.getSettingsName(), "settings") + ": 'longdpo." + key
            + "' cannot be set per run (only longdpo.search, longdpo.train and longdpo.eval keys)");
      }
    }
    for (String section : List.of("search", "train", "eval")) {
      if (longdpo.hasPath(section)) {
        for (var e : longdpo.getConfig(section).entrySet()) {
          if (!nodeConfig.hasPath("longdpo." + section + "." + e.getKey())) {
            throw new SubmitRejected(name(r.getSettingsName(), "settings") + ": '" + e.getKey() + "' is not a "
                + section + " setting (see longdpo." + section + " in reference.conf)");
          }
        }
      }
    }
    for (String section : List.of("train", "eval")) {
      if (longdpo.hasPath(section) && !trains) {
        throw new SubmitRejected(name(r.getSettingsName(), "settings") + ": longdpo." + section
            + " keys, but the run does not train (add --train)");
      }
    }
    return overrides.withFallback(nodeConfig).resolve();
  }

  private static String backend(SubmitRequest r) throws SubmitRejected {
    return switch (r.getBackendCase()) {
      case TESTING_POLICY -> "testing";
      case MODEL -> "model";
      case TESTBED -> "testbed";
      default -> throw new SubmitRejected("model: say which (--testbed, --model DIR or --testing-policy)");
    };
  }

  private static List<TaskSpec> tasks(SubmitRequest r, Config nodeConfig) throws SubmitRejected {
    if (r.getPromptsJsonl().isEmpty()) {
      if (!r.hasTestbed()) {
        throw new SubmitRejected("prompts: none given (--prompts FILE, or --testbed for its prompts)");
      }
      // The demo's training prompts (the mode's mix on the training seed, shifted by the demo's seed).
      return TestbedTasks.demoTraining(nodeConfig, r.getTestbed().getQuick(), demoSeed(r));
    }
    String shown = name(r.getPromptsName(), "prompts");
    try {
      Path tmp = Files.createTempFile("longdpo-prompts", ".jsonl");
      try {
        Files.writeString(tmp, r.getPromptsJsonl(), StandardCharsets.UTF_8);
        return TestbedTasks.read(tmp);
      } catch (IllegalArgumentException e) {
        throw new SubmitRejected(e.getMessage().replace(tmp.toString(), shown));
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new SubmitRejected(shown + ": cannot be staged: " + e.getMessage());
    }
  }

  private static String name(String given, String fallback) {
    return given.isEmpty() ? fallback : given;
  }
}
