package dev.longdpo.cli.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longdpo.coordinator.export.ExportFormat;
import dev.longdpo.coordinator.export.PairExporter;
import dev.longdpo.coordinator.run.PairLog;
import dev.longdpo.coordinator.run.RunDirectory;
import dev.longdpo.gpuworker.TrainerCheckpoints;
import dev.longdpo.gpuworker.dpo.DpoTrainer;
import dev.longdpo.config.files.AtomicDirectory;
import dev.longdpo.model.checkpoint.WeightsHash;
import dev.longdpo.protocol.control.CheckpointInfo;
import dev.longdpo.protocol.control.CheckpointsReply;
import dev.longdpo.protocol.control.ModelFile;
import dev.longdpo.protocol.control.ModelFiles;
import dev.longdpo.protocol.control.SubmitRequest;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
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
          if (!m.matches() || !Files.exists(p.resolve(DpoTrainer.STATE_FILE))) {
            continue;
          }
          TrainerCheckpoints.Found c = TrainerCheckpoints.read(p);
          String hash = WeightsHash.of(p);
          CheckpointInfo.Builder b = CheckpointInfo.newBuilder().setName(c.name()).setVariant(m.group(1))
              .setStep(c.step()).setEpoch(c.epoch()).setStreamOffset(c.streamOffset()).setFinished(c.finished())
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
    return PairExporter.forRun(f, finalOnly, endMarker.isEmpty() ? "</s>" : endMarker, dir).write(contents.pairs(), out);
  }

  /**
   * Writes a submitted model's files to {@code <run-root>/incoming/model-<hash>/} (once: the name
   * comes from the contents) and returns the request with the files' contents replaced by their
   * sha256 and the directory: the run manager copies them from there, and the control message
   * stays small whatever the model's size. A request without model files is returned as it is.
   */
  SubmitRequest stageModel(SubmitRequest r) throws IOException {
    if (!r.hasModel()) {
      return r;
    }
    if (!r.getModel().getStaged().isEmpty()) {
      throw new IllegalArgumentException("model.staged is set by the node that takes the call, not by clients");
    }
    MessageDigest all = sha256();
    ModelFiles.Builder staged = r.getModel().toBuilder().clearFiles();
    for (ModelFile f : r.getModel().getFilesList()) {
      String hash = HexFormat.of().formatHex(sha256().digest(f.getContents().toByteArray()));
      all.update((f.getName() + "=" + hash + "\n").getBytes(StandardCharsets.UTF_8));
      staged.addFiles(ModelFile.newBuilder().setName(f.getName()).setSha256(hash));
    }
    Path dir = runRoot.resolve("incoming").resolve("model-" + HexFormat.of().formatHex(all.digest()).substring(0, 32));
    if (!Files.isDirectory(dir)) {
      AtomicDirectory.write(dir, tmp -> {
        for (ModelFile f : r.getModel().getFilesList()) {
          if (f.getName().contains("/") || f.getName().startsWith(".")) {
            throw new IllegalArgumentException("model file name '" + f.getName() + "'");
          }
          Files.write(tmp.resolve(f.getName()), f.getContents().toByteArray());
        }
      });
    }
    return r.toBuilder().setModel(staged.setStaged(runRoot.relativize(dir).toString())).build();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** No such run under the run root. */
  static final class UnknownRun extends Exception {
    private static final long serialVersionUID = 1L;

    UnknownRun(String message) {
      super(message);
    }
  }
}
