package dev.longdpo.cli;

import dev.longdpo.cli.bench.BenchCommand;
import dev.longdpo.cli.eval.EvalCommand;
import dev.longdpo.cli.ctl.CtlCommand;
import dev.longdpo.cli.model.ModelCommand;
import dev.longdpo.cli.node.ClusterCommand;
import dev.longdpo.cli.node.NodeCommand;
import dev.longdpo.cli.report.ReportCommand;
import dev.longdpo.cli.search.CritiqueCheckCommand;
import dev.longdpo.cli.search.ExportCommand;
import dev.longdpo.cli.search.SearchCommand;
import dev.longdpo.cli.testbed.PretrainCommand;
import dev.longdpo.cli.testbed.TasksCommand;
import dev.longdpo.cli.train.TrainCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root command: lists the subcommands. */
@Command(
    name = "longdpo",
    mixinStandardHelpOptions = true,
    version = "longdpo 0.1.0",
    description = "LongDPO on the JVM: stepwise search, stepwise DPO and evaluation for long-form writing.",
    subcommands = {
      DemoCommand.class,
      PretrainCommand.class,
      TasksCommand.class,
      SearchCommand.class,
      ExportCommand.class,
      CritiqueCheckCommand.class,
      TrainCommand.class,
      EvalCommand.class,
      ReportCommand.class,
      ModelCommand.class,
      BenchCommand.class,
      NodeCommand.class,
      ClusterCommand.class,
      CtlCommand.class
    })
public final class LongdpoCommand implements Runnable {

  @Spec CommandSpec spec;

  @Mixin GlobalOptions global;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
