package dev.longdpo.cli.node;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code longdpo cluster}: helpers for whole clusters. */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Start or stop a cluster of nodes.",
    subcommands = {ClusterLocalCommand.class})
public final class ClusterCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
