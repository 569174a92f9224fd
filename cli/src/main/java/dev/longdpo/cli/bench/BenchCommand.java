package dev.longdpo.cli.bench;

import dev.longdpo.bench.Benchmarks;
import dev.longdpo.cli.ExitCodes;
import dev.longdpo.cli.GlobalOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Runs benchmarks and prints {@code BENCH <id> <value> <unit>} lines. */
@Command(mixinStandardHelpOptions = true, name = "bench", description = "Run benchmarks (all, or the named goals such as P1 P3).")
public final class BenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "<name>", arity = "0..*", description = "Goal ids to run (default: all).")
  List<String> names = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    GlobalOptions.of(spec).config();
    List<dev.longdpo.bench.Benchmark> all = new ArrayList<>(Benchmarks.all().select(List.of()));
    all.add(new ClusterBenchmark()); // node JVMs of this program: lives beside the command that starts them
    new dev.longdpo.bench.BenchSuite(all).run(names, spec.commandLine().getOut());
    return ExitCodes.OK;
  }
}
