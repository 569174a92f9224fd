package dev.longdpo.actors.host;

import dev.longdpo.actors.metrics.NodeMeters;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.longdpo.actors.ActorsSettings;
import dev.longdpo.actors.evaluator.CheckpointEvaluation;
import dev.longdpo.actors.evaluator.EvalListener;
import dev.longdpo.actors.evaluator.EvalRecord;
import dev.longdpo.actors.evaluator.EvalSettings;
import dev.longdpo.actors.evaluator.Evaluator;
import dev.longdpo.model.checkpoint.WeightsHash;
import dev.longdpo.protocol.cluster.EvaluatorHostProtocol;
import dev.longdpo.protocol.cluster.EvaluatorHostProtocol.EvaluatorReport;
import dev.longdpo.protocol.training.CheckpointWritten;
import dev.longdpo.protocol.training.EvaluatorProtocol;
import dev.longdpo.testbed.task.LengthBuckets;
import dev.longdpo.testbed.task.TaskFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * The evaluator side of an {@code evaluator} node: scores the base and the checkpoints of the run
 * the manager gives it, on the run's held-out tasks ({@code eval-prompts.jsonl}) with the run's
 * {@code eval.conf}. A checkpoint's identity is its run, variant, step and weights hash; its
 * record is {@code <run>/eval/<checkpoint>-<hash12>.json}, written once: an identity with a
 * record on disk is reported from it and never evaluated again. When a run is given to it, it
 * scans {@code <run>/checkpoints/}, so checkpoints written while no evaluator ran are evaluated
 * too (the evaluator's policy still skips an intermediate checkpoint when a newer one of its
 * variant waits; final ones never). Spawn it on the blocking dispatcher: it hashes weights.
 */
public final class EvaluatorHost extends AbstractBehavior<EvaluatorHostProtocol.Command> {

  /** The run's evaluation settings, resolved at submit. */
  public static final String EVAL_CONF = "eval.conf";

  /** The run's held-out tasks, generated at submit. */
  public static final String EVAL_PROMPTS = "eval-prompts.jsonl";

  /** A test hook: in run {@code runId}, stop after {@code holdAfter} evaluations and write a marker. */
  public record Hooks(String runId, int holdAfter) {
    /** No hooks. */
    public static final Hooks NONE = new Hooks("", 0);
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CHECKPOINT = Pattern.compile("(.+)-step-(\\d+)");

  private final Path runRoot;
  private final String nodeName;
  private final Config nodeConfig;
  private final Hooks hooks;
  private String runId;
  private Path runDir;
  private ActorRef<EvaluatorReport> replyTo;
  private ActorRef<EvaluatorProtocol.Command> evaluator;
  /**
   * Identities ({@code <checkpoint>-<hash12>}) queued or evaluated in this host's life, with the
   * checkpoint's name and full weights hash (the disk says the rest).
   */
  private final Map<String, Offered> seen = new HashMap<>();

  private record Offered(String variant, String name, String hash, long step, boolean last) {}
  private int evaluatedHere;

  /**
   * @param runRoot this node's view of the shared run root
   * @param nodeName how reports name this node (its cluster address)
   */
  public static Behavior<EvaluatorHostProtocol.Command> create(Path runRoot, String nodeName, Config nodeConfig,
      Hooks hooks) {
    return Behaviors.setup(ctx -> new EvaluatorHost(ctx, runRoot, nodeName, nodeConfig, hooks));
  }

  private EvaluatorHost(ActorContext<EvaluatorHostProtocol.Command> ctx, Path runRoot, String nodeName,
      Config nodeConfig, Hooks hooks) {
    super(ctx);
    this.runRoot = runRoot;
    this.nodeName = nodeName;
    this.nodeConfig = nodeConfig;
    this.hooks = hooks;
    ctx.getSystem().receptionist().tell(Receptionist.register(EvaluatorHostProtocol.KEY, ctx.getSelf()));
  }

  /** An evaluation of {@code identity} finished or failed on the evaluator's thread. */
  private record Done(String runId, String identity, String variant, long step, boolean last, double sl, double sq,
      String failure) implements EvaluatorHostProtocol.Command {}

  @Override
  public Receive<EvaluatorHostProtocol.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(EvaluatorHostProtocol.Evaluate.class, this::onEvaluate)
        .onMessage(EvaluatorHostProtocol.Checkpoint.class, c -> {
          if (c.runId().equals(runId)) {
            offer(c.variant(), c.name(), runRoot.resolve(c.path()), c.step(), c.last());
          }
          return this;
        })
        .onMessage(EvaluatorHostProtocol.StopEvaluating.class, s -> {
          if (s.runId().equals(runId)) {
            stopRun();
          }
          return this;
        })
        .onMessage(Done.class, this::onDone)
        .build();
  }

  private Behavior<EvaluatorHostProtocol.Command> onEvaluate(EvaluatorHostProtocol.Evaluate e) {
    if (e.runId().equals(runId)) {
      // A manager that took over: it hears again of every evaluation already on disk.
      replyTo = e.replyTo();
      for (Map.Entry<String, Offered> s : seen.entrySet()) {
        Path record = runDir.resolve("eval").resolve(s.getKey() + ".json");
        if (Files.exists(record)) {
          reportFromRecord(s.getValue(), record);
        }
      }
      return this;
    }
    stopRun();
    Path dir = Path.of(e.runDir());
    try {
      String refused = RunRootMarker.check(runRoot, e.rootToken(), nodeName);
      if (refused != null) {
        throw new IllegalStateException(refused);
      }
      Path conf = dir.resolve(EVAL_CONF);
      Config c = Files.exists(conf) ? ConfigFactory.parseFile(conf.toFile()).withFallback(nodeConfig) : nodeConfig;
      CheckpointEvaluation evaluation = new CheckpointEvaluation(TaskFile.read(dir.resolve(EVAL_PROMPTS)),
          LengthBuckets.TESTBED, EvalSettings.create(c.resolve()), dir.resolve("eval"));
      runId = e.runId();
      runDir = dir;
      replyTo = e.replyTo();
      evaluator = getContext().spawn(Evaluator.create(evaluation, Optional.empty(), new Reports(runId, getContext().getSelf())),
          "evaluator-" + ActorNames.safe(runId), DispatcherSelector.fromConfig(ActorsSettings.BLOCKING_DISPATCHER));
      getContext().getLog().info("run {}: evaluating on {} held-out tasks", runId, evaluation.tasks().size());
      offer("base", "base", dir.resolve("base"), 0, true);
      for (Path p : checkpointsOnDisk(dir.resolve("checkpoints"))) {
        Matcher m = CHECKPOINT.matcher(p.getFileName().toString());
        if (m.matches()) {
          offer(m.group(1), p.getFileName().toString(), p, Long.parseLong(m.group(2)), finished(p));
        }
      }
    } catch (IOException | RuntimeException ex) {
      String reason = nodeName + ": cannot evaluate run " + e.runId() + ": " + ex.getMessage();
      getContext().getLog().error("{}", reason, ex);
      e.replyTo().tell(new EvaluatorReport(e.runId(), nodeName, "", "", 0, false, "", Double.NaN, Double.NaN, "", reason));
    }
    return this;
  }

  /** Queues a checkpoint unless its identity was evaluated (then reports the record on disk). */
  private void offer(String variant, String name, Path path, long step, boolean last) {
    try {
      String hash = WeightsHash.of(path);
      String identity = name + "-" + hash.substring(0, 12);
      Offered offered = new Offered(variant, name, hash, step, last);
      Path record = runDir.resolve("eval").resolve(identity + ".json");
      if (seen.putIfAbsent(identity, offered) != null) {
        if (last && Files.exists(record)) {
          reportFromRecord(offered, record); // asked again for a final one: say it is done
        }
        return;
      }
      if (Files.exists(record)) {
        reportFromRecord(offered, record);
        return;
      }
      evaluator.tell(new CheckpointWritten(variant, identity, path.toString(), step, trainedTokens(path), 0, last));
    } catch (IOException | RuntimeException e) {
      replyTo.tell(new EvaluatorReport(runId, nodeName, variant, name, step, last, "", Double.NaN, Double.NaN, "",
          nodeName + ": cannot read " + path + ": " + e.getMessage()));
    }
  }

  /** Reports an evaluation from its record on disk (it is never done twice). */
  private void reportFromRecord(Offered o, Path record) {
    try {
      JsonNode scores = JSON.readTree(record.toFile()).path("scores");
      replyTo.tell(new EvaluatorReport(runId, nodeName, o.variant(), o.name(), o.step(), o.last(), o.hash(),
          scores.path("S_l").path("avg").asDouble(Double.NaN), scores.path("S_q").path("avg").asDouble(Double.NaN),
          runDir.relativize(record).toString(), ""));
    } catch (IOException e) {
      replyTo.tell(new EvaluatorReport(runId, nodeName, o.variant(), o.name(), o.step(), o.last(), o.hash(), Double.NaN,
          Double.NaN, "", nodeName + ": cannot read " + record + ": " + e.getMessage()));
    }
  }

  private Behavior<EvaluatorHostProtocol.Command> onDone(Done d) {
    Offered o = seen.get(d.identity());
    if (!d.runId().equals(runId) || o == null) {
      return this;
    }
    replyTo.tell(new EvaluatorReport(d.runId(), nodeName, d.variant(), o.name(), d.step(), d.last(), o.hash(),
        d.sl(), d.sq(), d.failure().isEmpty() ? "eval/" + d.identity() + ".json" : "", d.failure()));
    if (d.failure().isEmpty()) {
      evaluatedHere++;
      if (hooks.holdAfter() > 0 && hooks.runId().equals(runId) && evaluatedHere == hooks.holdAfter()) {
        getContext().getLog().warn("test hook: holding after {} evaluations", evaluatedHere);
        getContext().stop(evaluator); // evaluates nothing more; the node stays until killed
        HookMarker.write(runRoot, runId, "evaluator", nodeName);
      }
    }
    return this;
  }

  private void stopRun() {
    if (evaluator != null) {
      getContext().stop(evaluator);
      getContext().getLog().info("run {}: evaluation stopped here", runId);
    }
    evaluator = null;
    runId = null;
    runDir = null;
    seen.clear();
  }

  private static List<Path> checkpointsOnDisk(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.list(dir)) {
        s.filter(p -> Files.exists(p.resolve("trainer_state.json"))).forEach(out::add);
      }
    }
    out.sort(Comparator.comparingLong(EvaluatorHost::stepOf));
    return out;
  }

  private static long stepOf(Path p) {
    Matcher m = CHECKPOINT.matcher(p.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(2)) : 0;
  }

  private static boolean finished(Path checkpoint) throws IOException {
    return JSON.readTree(checkpoint.resolve("trainer_state.json").toFile()).path("finished").asBoolean(false);
  }

  private static long trainedTokens(Path checkpoint) throws IOException {
    Path state = checkpoint.resolve("trainer_state.json");
    return Files.exists(state) ? JSON.readTree(state.toFile()).path("trained_tokens").asLong() : 0;
  }

  /** The evaluator's results, as messages to the host (the listener runs on the evaluator's thread). */
  private record Reports(String runId, ActorRef<EvaluatorHostProtocol.Command> host) implements EvalListener {
    @Override
    public void started(CheckpointEvaluation.Target t, int tasks, int queued) {
      NodeMeters.set("longdpo.eval.queued", queued);
    }

    @Override
    public void evaluated(EvalRecord r) {
      NodeMeters.count("longdpo.eval.checkpoints", 1, "variant", r.variant());
      NodeMeters.count("longdpo.eval.tasks", r.samples().size());
      NodeMeters.set("longdpo.eval.sl", r.scores().sl().get("avg"), "variant", r.variant());
      NodeMeters.set("longdpo.eval.sq", r.scores().sq().get("avg"), "variant", r.variant());
      host.tell(new Done(runId, r.checkpoint(), r.variant(), r.step(), r.last(), r.scores().sl().get("avg"),
          r.scores().sq().get("avg"), ""));
    }

    @Override
    public void failed(CheckpointEvaluation.Target t, Exception e) {
      host.tell(new Done(runId, t.checkpoint(), t.variant(), t.step(), t.last(), Double.NaN, Double.NaN,
          "evaluation of " + t.checkpoint() + " failed: " + e.getMessage()));
    }
  }
}
