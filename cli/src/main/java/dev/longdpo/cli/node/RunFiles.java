package dev.longdpo.cli.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longdpo.coordinator.export.ExportFormat;
import dev.longdpo.coordinator.export.PairExporter;
import dev.longdpo.coordinator.run.PairLog;
import dev.longdpo.coordinator.run.RunDirectory;
import dev.longdpo.model.checkpoint.WeightsHash;
import dev.longdpo.protocol.control.CheckpointInfo;
import dev.longdpo.protocol.control.CheckpointsReply;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a node reads from a run directory under the shared run root to answer {@code ctl
 * checkpoints} and {@code ctl export} itself, without the run manager: the files are the truth and
 * every node sees them.
 */
final class RunFiles {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CHECKPOINT = Pattern.compile("(.+)-step-(\\d+)");

  private final Path runRoot;

  RunFiles(Path runRoot) {
    this.runRoot = runRoot;
  }

  /** The run's directory; throws {@link UnknownRun} when there is none. */
  Path run(String runId) throws UnknownRun {
    Path dir = runRoot.resolve("runs").resolve(runId).normalize();
    if (runId.isEmpty() || !dir.getParent().equals(runRoot.resolve("runs").normalize())
        || !Files.exists(dir.resolve("submit.json"))) {
      throw new UnknownRun("no run '" + runId + "' in " + runRoot.resolve("runs"));
    }
    return dir;
  }

  /** Every checkpoint of the run, by variant and step, each with its evaluation if it has one. */
  CheckpointsReply checkpoints(String runId) throws IOException, UnknownRun {
    Path run = run(runId);
    Path dir = run.resolve("checkpoints");
    List<CheckpointInfo> out = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.list(dir)) {
        for (Path p : (Iterable<Path>) s::iterator) {
          Matcher m = CHECKPOINT.matcher(p.getFileName().toString());
          Path state = p.resolve("trainer_state.json");
          if (!m.matches() || !Files.exists(state)) {
            continue;
          }
          JsonNode st = JSON.readTree(state.toFile());
          String hash = WeightsHash.of(p);
          CheckpointInfo.Builder b = CheckpointInfo.newBuilder().setName(p.getFileName().toString())
              .setVariant(m.group(1)).setStep(st.path("step").asLong()).setEpoch(st.path("epoch").asInt())
              .setStreamOffset(st.path("stream_offset").asLong()).setFinished(st.path("finished").asBoolean(false))
              .setWeightsSha256(hash).setPath(runRoot.relativize(p).toString());
          Path record = run.resolve("eval").resolve(p.getFileName() + "-" + hash.substring(0, 12) + ".json");
          if (Files.exists(record)) {
            JsonNode scores = JSON.readTree(record.toFile()).path("scores");
            b.setEvaluated(true).setSl(scores.path("S_l").path("avg").asDouble())
                .setSq(scores.path("S_q").path("avg").asDouble());
          }
          out.add(b.build());
        }
      }
    }
    out.sort(Comparator.comparing(CheckpointInfo::getVariant).thenComparingLong(CheckpointInfo::getStep));
    return CheckpointsReply.newBuilder().addAllCheckpoints(out).build();
  }

  /**
   * Writes the run's pairs in {@code format} to {@code out}; returns how many.
   *
   * @throws IllegalArgumentException for an unknown format or a pair log damaged beyond what can
   *     be skipped
   */
  int export(String runId, String format, boolean finalOnly, String endMarker, Writer out)
      throws IOException, UnknownRun {
    ExportFormat f;
    try {
      f = ExportFormat.valueOf(format.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("format: '" + format + "' is not trl or longdpo");
    }
    RunDirectory dir = RunDirectory.existing(run(runId));
    PairLog.Contents contents = PairLog.readOnly(dir.pairLog());
    for (PairLog.Damage d : contents.damage()) {
      if (d.kind() == PairLog.Damage.Kind.UNVERIFIABLE) {
        throw new IllegalArgumentException(dir.pairLog() + ": " + d.describe());
      }
    }
    return new PairExporter(f, finalOnly, endMarker.isEmpty() ? "</s>" : endMarker).write(contents.pairs(), out);
  }

  /** No such run under the run root. */
  static final class UnknownRun extends Exception {
    private static final long serialVersionUID = 1L;

    UnknownRun(String message) {
      super(message);
    }
  }
}
