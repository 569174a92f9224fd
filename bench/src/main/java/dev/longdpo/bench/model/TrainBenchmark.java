package dev.longdpo.bench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.longdpo.bench.BenchReporter;
import dev.longdpo.bench.Benchmark;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.runtime.DjlRuntime;
import dev.longdpo.model.train.LossFunction;
import dev.longdpo.model.train.OptimizerSettings;
import dev.longdpo.model.train.PolicyTrainer;
import dev.longdpo.model.train.SequenceBatch;
import dev.longdpo.model.train.TokenLogProbs;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * P8: training throughput (forward + backward + AdamW) at sequence 512, batch 4, and the achieved
 * GFLOP/s (6·N per token, N = every parameter) as a fraction of a 1024×1024 float32 matmul's
 * GFLOP/s measured in the same run.
 */
public final class TrainBenchmark implements Benchmark {

  private static final int SEQ = 512;
  private static final int BATCH = 4;

  @Override
  public String id() {
    return "P8";
  }

  @Override
  public String description() {
    return "training tokens/s at sequence 512, batch 4, and its share of the matmul rate";
  }

  @Override
  public void run(BenchReporter r) {
    DjlRuntime.withIntraOpThreads(BenchShapes.THREADS, () -> measure(r));
  }

  private void measure(BenchReporter r) {
    try (LanguageModel m = LanguageModel.random(BenchShapes.anchor(), 1, Optional.empty(), true);
        PolicyTrainer trainer = new PolicyTrainer(m, OptimizerSettings.of(1e-4, 1000))) {
      List<int[]> rows = new ArrayList<>();
      for (int b = 0; b < BATCH; b++) {
        rows.add(BenchShapes.tokens(SEQ + 1, b, m.config().vocabSize()));
      }
      SequenceBatch batch = SequenceBatch.of(rows, new int[] {1, 1, 1, 1}, 0);
      LossFunction nll =
          nd -> {
            NDArray[] lp = TokenLogProbs.compute(m.network(), nd, batch);
            return LossFunction.Output.of(lp[0].sum().neg().div(lp[1].sum()));
          };
      trainer.step(nll);
      trainer.step(nll);
      int steps = 5;
      long start = System.nanoTime();
      for (int i = 0; i < steps; i++) {
        trainer.step(nll);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double tokensPerSecond = steps * BATCH * SEQ / seconds;
      double gflops = 6.0 * m.config().parameterCount() * tokensPerSecond / 1e9;
      double matmul = matmulGflops(m.manager());
      r.note("parameters: " + m.config().parameterCount());
      r.figure("P8.train_tokens_per_s", tokensPerSecond, "tokens/s");
      r.figure("P8.train_gflops", gflops, "GFLOP/s");
      r.figure("P8.matmul_gflops", matmul, "GFLOP/s");
      r.figure("P8.fraction_of_matmul", gflops / matmul, "ratio");
    }
  }

  static double matmulGflops(NDManager root) {
    try (NDManager nd = root.newSubManager()) {
      NDArray a = nd.randomNormal(new Shape(1024, 1024));
      NDArray b = nd.randomNormal(new Shape(1024, 1024));
      for (int i = 0; i < 3; i++) {
        a.matMul(b).close();
      }
      int reps = 20;
      long start = System.nanoTime();
      for (int i = 0; i < reps; i++) {
        NDArray c = a.matMul(b);
        c.getFloat(0, 0); // force completion
        c.close();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return reps * 2.0 * 1024 * 1024 * 1024 / seconds / 1e9;
    }
  }
}
