package dev.longdpo.protocol;

import dev.longdpo.protocol.cluster.RunManagerProtocol;
import dev.longdpo.protocol.cluster.SearchHostProtocol;
import dev.longdpo.protocol.cluster.EvaluatorHostProtocol;
import dev.longdpo.protocol.cluster.NodeStatsProtocol;
import dev.longdpo.protocol.cluster.TrainerHostProtocol;
import dev.longdpo.protocol.coordinator.CoordinatorProtocol;
import dev.longdpo.protocol.pairs.PairStep;
import dev.longdpo.protocol.pairs.PairStreamProtocol;
import dev.longdpo.protocol.pairs.PreferencePair;
import dev.longdpo.protocol.search.CriticProtocol;
import dev.longdpo.protocol.search.ExpandJob;
import dev.longdpo.protocol.search.Guidance;
import dev.longdpo.protocol.search.RewardProtocol;
import dev.longdpo.protocol.search.SearchNodeProtocol;
import dev.longdpo.protocol.search.StepDecoding;
import dev.longdpo.protocol.search.StepSample;
import dev.longdpo.protocol.search.StepScore;
import dev.longdpo.protocol.search.TaskSpec;
import dev.longdpo.protocol.training.CheckpointWritten;
import dev.longdpo.protocol.training.EvaluatorProtocol;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;

/**
 * One instance of every message type of this module, for the round trip in {@link
 * ProtocolSerializationTest}, which also fails when a message type has none here.
 *
 * <p>Every field holds a value other than its type's default (no 0, false, "" or empty list where
 * the field allows another), so a codec that drops or swaps a field cannot come back equal.
 */
public final class ProtocolSamples {

  private ProtocolSamples() {}

  /** A pair with every field set, for round-trip tests here and elsewhere. */
  public static PreferencePair samplePair(int depth) {
    StepScore good = new StepScore(List.of(5.0, 4.0, 5.0, 5.0, 4.5, 5.0, 3.0), 8.5, 4.5, 13.0);
    StepScore bad = new StepScore(List.of(2.0, 4.0, 5.0, 3.0, 1.0, 5.0, 2.0), 7.0, 3.14, 10.14);
    // The two sides differ in every field, endsAnswer included, so a codec that writes one side's
    // field into the other's cannot pass.
    return new PreferencePair(
        PreferencePair.id("run", "p7", depth), "run", "p7", depth, "In about 50 words, write.",
        "[INST] In about 50 words, write. [/INST]", new int[] {1, 4, 9, 5},
        new PairStep(" The city.\n\n", new int[] {10, 11, 12}, false, good, -3.5, 12.7),
        new PairStep(" The town.</s>", new int[] {10, 13, 2}, true, bad, -4.25, 9.1),
        true, 3, true, 4);
  }

  /** One message per type; refs point at probes of {@code kit}, so they resolve after a trip. */
  public static List<Object> all(ActorTestKit kit) {
    var job = new ExpandJob("p7", "p7/0.1", new int[] {1, 2, 3}, 4, 99L, new StepDecoding(1.0, 0.95, 96),
        List.of(new Guidance("ACCURACY", "Keep the facts.", 5, List.of("salt"), List.of("copper"), "KEEP")));
    StepScore score = samplePair(1).chosen().score();
    var task = new TaskSpec("p7", "Write.", 50, "{\"prompt\":\"Write.\",\"length\":50}");
    var reviewed = new CriticProtocol.Reviewed(" B.", score, true);
    return List.of(
        // search
        new SearchNodeProtocol.Expand(job, kit.<SearchNodeProtocol.Expanded>createTestProbe().getRef()),
        new SearchNodeProtocol.Expanded("p7/0.1",
            List.of(new StepSample(new int[] {5, 6}, " A.\n\n", true, -2.5, "p7/0.1.0"))),
        new SearchNodeProtocol.Forget("p7"),
        new RewardProtocol.Score(task, "ctx", List.of(new RewardProtocol.Candidate(" B.", true)),
            kit.<RewardProtocol.Scored>createTestProbe().getRef()),
        new RewardProtocol.Scored(List.of(score)),
        new CriticProtocol.Critique(task, "ctx", reviewed, List.of(reviewed), 3,
            kit.<CriticProtocol.Critiqued>createTestProbe().getRef()),
        new CriticProtocol.Critiqued(job.guidance()),
        // pairs and the pair stream
        samplePair(2),
        new PairStreamProtocol.Subscribe("t", 5, kit.<PairStreamProtocol.Delivery>createTestProbe().getRef()),
        new PairStreamProtocol.Request("t", 16),
        new PairStreamProtocol.Unsubscribe("t"),
        new PairStreamProtocol.Delivery(5, List.of(samplePair(1), samplePair(2)), true),
        // coordinator
        new CoordinatorProtocol.GetProgress(kit.<CoordinatorProtocol.RunProgress>createTestProbe().getRef()),
        new CoordinatorProtocol.RunProgress(300, 120, 6, 1720L, 2, true, 9000L),
        CoordinatorProtocol.Stop.INSTANCE,
        // training
        new CheckpointWritten("longdpo", "longdpo-step-40", "/runs/x/checkpoints/longdpo-step-40", 40, 123_456,
            77, true),
        new EvaluatorProtocol.WhenIdle(kit.<EvaluatorProtocol.Idle>createTestProbe().getRef()),
        new EvaluatorProtocol.Idle(3, 1),
        // cluster
        new SearchHostProtocol.Activate("r1", "/runs/r1", "model", "token-7",
            kit.<SearchHostProtocol.HostReply>createTestProbe().getRef()),
        new SearchHostProtocol.Deactivate("r1"),
        new SearchHostProtocol.HostReply("r1", "pekko://longdpo@10.0.0.2:2552", false, "no run root"),
        new TrainerHostProtocol.Train("r1", "/runs/r1", "longdpo", 3, 50, 12L, 4800L, 9600L, "token-7",
            kit.<CoordinatorProtocol.Command>createTestProbe().getRef(), true,
            kit.<TrainerHostProtocol.TrainerReport>createTestProbe().getRef()),
        new TrainerHostProtocol.StopTraining("r1", "longdpo"),
        new EvaluatorHostProtocol.Evaluate("r1", "/runs/r1", "token-7",
            kit.<EvaluatorHostProtocol.EvaluatorReport>createTestProbe().getRef()),
        new EvaluatorHostProtocol.Checkpoint("r1", "longdpo", "longdpo-step-40", "runs/r1/checkpoints/longdpo-step-40", 40,
            false),
        new EvaluatorHostProtocol.StopEvaluating("r1"),
        new EvaluatorHostProtocol.EvaluatorReport("r1", "pekko://longdpo@10.0.0.4:2552", "longdpo", "longdpo-step-40", 40,
            false, "ab12", 51.5, 88.25, "eval/longdpo-step-40-ab12.json", ""),
        new TrainerHostProtocol.SetPaused("r1", true),
        new TrainerHostProtocol.TrainerReport("r1", "longdpo", 3, "pekko://longdpo@10.0.0.3:2552",
            TrainerHostProtocol.Kind.STEPPED, 42, 168, 1, 0.693, "longdpo-step-40", ""),
        new RunManagerProtocol.Call(RunManagerProtocol.Method.STATUS, new byte[] {10, 2, 114, 49},
            kit.<RunManagerProtocol.Answer>createTestProbe().getRef()),
        new RunManagerProtocol.Answer(5, "no run 'r2'", new byte[] {1, 2, 3}),
        new RunManagerProtocol.GetRootToken(kit.<RunManagerProtocol.RootToken>createTestProbe().getRef()),
        new RunManagerProtocol.RootToken("token-7"),
        new NodeStatsProtocol.Snapshot("pekko://longdpo@10.0.0.5:2552", new byte[] {10, 3, 97, 98, 99}));
  }

  /** The type a sample stands for: an enum constant with a body still counts as its enum. */
  public static Class<?> messageType(Object sample) {
    return sample instanceof Enum<?> e ? e.getDeclaringClass() : sample.getClass();
  }
}
