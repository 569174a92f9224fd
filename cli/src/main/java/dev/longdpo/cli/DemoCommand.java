package dev.longdpo.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The main job. Until the end-to-end pipeline lands it says plainly what exists. */
@Command(mixinStandardHelpOptions = true, name = "demo", description = "Run the end-to-end LongDPO demo on the embedded testbed.")
public final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    GlobalOptions.of(spec).config();
    var out = spec.commandLine().getOut();
    out.println("The end-to-end demo is not built yet. What exists today:");
    out.println("  ./longdpo model init|generate|score   a Llama-architecture model on DJL (CPU)");
    out.println("  ./longdpo bench [P1 P2 P3 P8]          model benchmarks");
    return ExitCodes.OK;
  }
}
