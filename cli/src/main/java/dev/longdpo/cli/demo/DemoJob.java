package dev.longdpo.cli.demo;

import com.typesafe.config.Config;
import dev.longdpo.cli.BadInputException;
import dev.longdpo.cli.node.ClusterOfOne;
import dev.longdpo.protocol.cluster.RunManagerProtocol;
import dev.longdpo.protocol.cluster.RunManagerProtocol.Method;
import dev.longdpo.protocol.control.Phase;
import dev.longdpo.protocol.control.RunStatus;
import dev.longdpo.protocol.control.StatusRequest;
import dev.longdpo.protocol.control.SubmitRequest;
import dev.longdpo.protocol.control.Testbed;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The end-to-end demo: the demo's job ({@code ctl submit --testbed}) on a cluster of one in this
 * JVM. The same run manager, search, trainer and evaluator hosts as on a cluster of many run the
 * LongDPO search on the training prompts while a trainer trains stepwise DPO on its pair stream,
 * sample and train the outcome-DPO baseline on as many tokens, evaluate the base and both
 * variants on held-out tasks, and write the report into the run directory
 * ({@code <out>/runs/demo/}). Started again on the same {@code --out} after a crash, it goes on
 * where the run's files left it.
 */
public final class DemoJob {

  /** The run's id under the demo's run root. */
  public static final String RUN_ID = "demo";

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
  private static final long POLL_MILLIS = 1000;

  private final Config config;
  private final boolean quick;
  private final long seed;
  private final Path out;
  private final DemoStatus status;

  /**
   * @param config the settings (the mode is applied by the run manager at submit)
   * @param out the demo's run root
   */
  public DemoJob(Config config, boolean quick, long seed, Path out, DemoStatus status) {
    this.config = config;
    this.quick = quick;
    this.seed = seed;
    this.out = out;
    this.status = status;
  }

  /** The run's directory under {@code out}. */
  public static Path runDir(Path out) {
    return out.resolve("runs").resolve(RUN_ID);
  }

  /** Runs the job to its end; returns the run's directory, its report written. */
  public Path run() throws Exception {
    try (ClusterOfOne node = ClusterOfOne.start(config, out, "demo")) {
      status.say("a cluster of one node in this JVM (log " + node.log() + ")");
      SubmitRequest submit = SubmitRequest.newBuilder().setId(RUN_ID)
          .setTestbed(Testbed.newBuilder().setQuick(quick).setSeed(seed)).build();
      RunManagerProtocol.Answer submitted = node.call(Method.SUBMIT, submit, CALL_TIMEOUT);
      if (submitted.status() != 0) {
        String why = submitted.message();
        throw new BadInputException("the demo's job: " + why + (why.contains("another request")
            ? " (" + out + " holds a demo of another mode, seed or settings: choose another --out)" : ""));
      }
      RunStatus s;
      while (true) {
        RunManagerProtocol.Answer a =
            node.call(Method.STATUS, StatusRequest.newBuilder().setRunId(RUN_ID).build(), CALL_TIMEOUT);
        if (a.status() != 0) {
          throw new IllegalStateException("the run manager: " + a.message());
        }
        s = RunStatus.parseFrom(a.reply());
        status.update(s);
        if (terminal(s.getPhase())) {
          break;
        }
        Thread.sleep(POLL_MILLIS); // a poll interval: the status is read, not waited on
      }
      if (s.getPhase() != Phase.DONE) {
        throw new IllegalStateException("the demo's run ended " + s.getPhase() + ": " + s.getReason() + " (log "
            + node.log() + "; started again with the same --out, a FAILED run stays failed: choose another --out)");
      }
      return runDir(out);
    }
  }

  private static boolean terminal(Phase p) {
    return p == Phase.DONE || p == Phase.FAILED || p == Phase.STOPPED || p == Phase.CANCELLED;
  }
}
