package dev.longdpo.bench;

import dev.longdpo.bench.model.BatchBenchmark;
import dev.longdpo.bench.model.DecodeBenchmark;
import dev.longdpo.bench.model.DecodeMixBenchmark;
import dev.longdpo.bench.model.ForkBenchmark;
import dev.longdpo.bench.model.TrainBenchmark;
import dev.longdpo.bench.search.ActorOverheadBenchmark;
import dev.longdpo.bench.search.MetricsCostBenchmark;
import dev.longdpo.bench.search.ScaleBenchmark;
import dev.longdpo.bench.train.DpoBenchmark;
import dev.longdpo.bench.train.MemoryBenchmark;
import dev.longdpo.bench.train.PretrainJvmBenchmark;
import dev.longdpo.bench.train.TrainerJvmsBenchmark;
import dev.longdpo.bench.train.TrainerMallocBenchmark;
import java.util.List;

/** Every benchmark of the project, in the order {@code ./longdpo bench} runs them. */
public final class Benchmarks {

  private Benchmarks() {}

  /** The full suite. */
  public static BenchSuite all() {
    return new BenchSuite(
        List.of(
            new DecodeBenchmark(),
            new ForkBenchmark(),
            new ActorOverheadBenchmark("P2"),
            new BatchBenchmark(),
            new ActorOverheadBenchmark("P4"),
            new DpoBenchmark(),
            new TrainerJvmsBenchmark(),
            new ScaleBenchmark(),
            new TrainBenchmark(),
            new DecodeMixBenchmark(),
            new MemoryBenchmark(),
            new MetricsCostBenchmark(),
            new PretrainJvmBenchmark(),
            new TrainerMallocBenchmark()));
  }
}
