package dev.longdpo.cli.model;

import dev.longdpo.cli.BadInputException;
import dev.longdpo.cli.ExitCodes;
import dev.longdpo.cli.GlobalOptions;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.LlamaConfig;
import dev.longdpo.model.checkpoint.LlamaConfigJson;
import dev.longdpo.model.tokenizer.ByteLevelTokenizer;
import dev.longdpo.model.tokenizer.TextTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Writes a randomly initialized checkpoint. */
@Command(
    mixinStandardHelpOptions = true,
    name = "init",
    description = "Write a random model (Hugging Face layout) from a config.json and a seed.")
public final class ModelInitCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--model-config", required = true, paramLabel = "<config.json>",
      description = "A Hugging Face Llama config.json giving the shape.")
  Path modelConfig;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "<n>",
      description = "Initialization seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", required = true, paramLabel = "<dir>", description = "Checkpoint directory to write.")
  Path out;

  @Option(names = "--tokenizer", paramLabel = "<tokenizer.json>",
      description = "Tokenizer to ship with the model (default: a byte-level one, vocabulary >= 259).")
  Path tokenizer;

  @Override
  public Integer call() throws Exception {
    GlobalOptions.of(spec).config();
    LlamaConfig config = LlamaConfigJson.read(modelConfig);
    TextTokenizer tok;
    if (tokenizer != null) {
      tok = TextTokenizer.load(tokenizer);
    } else {
      if (config.vocabSize() < ByteLevelTokenizer.VOCAB_SIZE) {
        throw new BadInputException(
            modelConfig + ": vocab_size " + config.vocabSize() + " is below the byte-level tokenizer's "
                + ByteLevelTokenizer.VOCAB_SIZE + "; raise it or pass --tokenizer");
      }
      tok = TextTokenizer.fromJson(ByteLevelTokenizer.json(), Path.of("<byte-level>"));
      if (config.bosTokenId().isEmpty() && config.eosTokenIds().isEmpty()) {
        config = config.withSpecialTokens(
            Optional.of(ByteLevelTokenizer.BOS), List.of(ByteLevelTokenizer.EOS), Optional.empty());
      }
    }
    try (LanguageModel m = LanguageModel.random(config, seed, Optional.of(tok), false)) {
      m.save(out);
      spec.commandLine().getOut().printf("wrote %s (%,d parameters, seed %d)%n", out, config.parameterCount(), seed);
    }
    return ExitCodes.OK;
  }
}
