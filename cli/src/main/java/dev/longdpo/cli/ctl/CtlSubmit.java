package dev.longdpo.cli.ctl;

import com.google.protobuf.ByteString;
import dev.longdpo.actors.backend.BackendSettings;
import dev.longdpo.cli.GlobalOptions;
import dev.longdpo.config.SettingsException;
import dev.longdpo.cli.ExitCodes;
import dev.longdpo.protocol.control.ModelFile;
import dev.longdpo.protocol.control.ModelFiles;
import dev.longdpo.protocol.control.SubmitReply;
import dev.longdpo.protocol.control.SubmitRequest;
import dev.longdpo.protocol.control.Testbed;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import dev.longdpo.cli.train.VariantSpec;
import dev.longdpo.protocol.control.Variant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ctl submit}: queues a run; prints its id once the run is on disk. */
@Command(name = "submit", mixinStandardHelpOptions = true,
    description = {"Submit a run: prompts, a model, search settings. Prints the run id once the run is on disk.",
        "--testbed without --prompts submits the demo's whole job (what `longdpo demo` runs): search,",
        "the stepwise variant and the outcome-DPO baseline trained, both evaluated, report.html in the run.",
        "With --id a retried submit of the same request returns the same run."})
final class CtlSubmit extends CtlVerb {

  static final class Model {
    @Option(names = "--testbed", required = true, description = "The embedded testbed's base model (pretrained once on the coordinator's node); without --prompts, the demo's whole job.")
    boolean testbed;

    @Option(names = "--model", required = true, paramLabel = "<dir>", description = "A model directory (config.json, tokenizer.json, model.safetensors), sent with the request.")
    Path model;

    @Option(names = "--testing-policy", required = true, description = "The scripted policy and judge (tests, benchmarks): no model.")
    boolean testingPolicy;

    @Option(names = "--backend-config", required = true, paramLabel = "<file>",
        description = "HOCON choosing each role's backend (longdpo.backends' keys at its root): an embedded policy is --testbed, a djl one --model with its model directory.")
    Path backendConfig;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Model backend;

  @Option(names = "--quick", description = "With --testbed: the demo's --quick mode (prompts, search, training, evaluation).")
  boolean quick;

  @Option(names = "--seed", paramLabel = "<n>", defaultValue = "1",
      description = "With --testbed, without --prompts: the demo's seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--search-only", description = "With --testbed, without --prompts: only the demo's search, no training.")
  boolean searchOnly;

  @Option(names = "--prompts", paramLabel = "<file.jsonl>", description = "Prompts, one JSON task per line.")
  Path prompts;

  @Option(names = "--settings", paramLabel = "<file.conf>",
      description = "HOCON overriding longdpo.search keys (bare keys, e.g. k = 2; or a longdpo.search block) and, with --train, a longdpo.train block.")
  Path settings;

  @Option(names = "--train", description = "Train the stepwise-DPO variant 'longdpo' on trainer nodes while the search runs "
      + "(needs --model or --testbed).")
  boolean train;

  @Option(names = "--variant", paramLabel = "<name[:key=value,...]>",
      description = {"With --train: a variant to train on a trainer of its own, with overrides of longdpo.train "
          + "(e.g. longdpo-b0.3:beta=0.3); repeat for several (default: one, 'longdpo')."})
  List<String> variants = new ArrayList<>();

  @Option(names = "--id", paramLabel = "<id>", description = "The run id (letters, digits, - _ .): makes a retried submit idempotent.")
  String id;

  @Option(names = "--limit", paramLabel = "<n>", description = "Search only the first n prompts.")
  int limit;

  @Override
  int run(CtlClient client, PrintWriter out, PrintWriter err) throws CtlException {
    SubmitRequest.Builder r = SubmitRequest.newBuilder().setLimit(limit).setTrain(train);
    for (String v : variants) {
      VariantSpec spec;
      try {
        spec = VariantSpec.parse(v);
      } catch (IllegalArgumentException e) {
        throw new CtlException(ExitCodes.USAGE, e.getMessage());
      }
      r.addVariants(Variant.newBuilder().setName(spec.name()).putAllOverrides(spec.overrides()));
    }
    if (id != null) {
      r.setId(id);
    }
    if (prompts != null) {
      r.setPromptsJsonl(text(prompts)).setPromptsName(prompts.toString());
    }
    if (settings != null) {
      r.setSettingsHocon(text(settings)).setSettingsName(settings.toString());
    }
    Path model = backend.model;
    boolean testbed = backend.testbed;
    if (backend.backendConfig != null) {
      BackendSettings b = backends(backend.backendConfig);
      if (b.referenceModel().isPresent()) {
        throw new CtlException(ExitCodes.BAD_INPUT, backend.backendConfig
            + ": reference = djl: a cluster run's policy is its reference (use `longdpo search --reference-model`)");
      }
      model = b.model().orElse(null);
      testbed = model == null;
    }
    if (testbed) {
      r.setTestbed(Testbed.newBuilder().setQuick(quick).setSeed(seed).setSearchOnly(searchOnly));
    } else if (backend.testingPolicy) {
      r.setTestingPolicy(true);
    } else {
      r.setModel(modelFiles(model));
    }
    if (quick && !testbed) {
      throw new CtlException(ExitCodes.USAGE, "--quick goes with --testbed");
    }
    if ((searchOnly || seed != 1) && (!testbed || prompts != null)) {
      throw new CtlException(ExitCodes.USAGE, "--seed and --search-only go with --testbed without --prompts");
    }
    SubmitReply reply = client.call().submit(r.build());
    out.println(reply.getRunId());
    if (reply.getExisted()) {
      err.println("run " + reply.getRunId() + " was already submitted with this request");
    }
    return ok();
  }

  /** The backends a file chooses, checked here, before anything is sent. */
  private BackendSettings backends(Path file) throws CtlException {
    try {
      return BackendSettings.create(BackendSettings.withFile(GlobalOptions.of(spec).config(), file));
    } catch (SettingsException e) {
      throw new CtlException(ExitCodes.BAD_INPUT, e.getMessage());
    }
  }

  private static String text(Path file) throws CtlException {
    try {
      byte[] bytes = Files.readAllBytes(file);
      return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new CtlException(ExitCodes.BAD_INPUT, file + ": not UTF-8 text");
    } catch (IOException e) {
      throw new CtlException(ExitCodes.BAD_INPUT, file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static ModelFiles modelFiles(Path dir) throws CtlException {
    if (!Files.isDirectory(dir)) {
      throw new CtlException(ExitCodes.BAD_INPUT, dir + ": not a model directory");
    }
    ModelFiles.Builder b = ModelFiles.newBuilder().setName(dir.getFileName().toString());
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files.sorted()::iterator) {
        String name = f.getFileName().toString();
        if (Files.isRegularFile(f) && (name.endsWith(".json") || name.endsWith(".safetensors"))) {
          b.addFiles(ModelFile.newBuilder().setName(name).setContents(ByteString.copyFrom(Files.readAllBytes(f))));
        }
      }
    } catch (IOException e) {
      throw new CtlException(ExitCodes.BAD_INPUT, dir + ": cannot be read: " + e.getMessage());
    }
    return b.build();
  }
}
