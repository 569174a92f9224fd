package dev.longdpo.cli.model;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Groups the model subcommands. */
@Command(
    mixinStandardHelpOptions = true,
    name = "model",
    description = "Try a Llama-architecture checkpoint: init a random one, generate, score.",
    subcommands = {ModelInitCommand.class, ModelGenerateCommand.class, ModelScoreCommand.class})
public final class ModelCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
