package dev.longdpo.coordinator.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.longdpo.config.files.AtomicFile;
import dev.longdpo.protocol.search.TaskSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A search run's directory:
 *
 * <pre>
 *   run.json       what the results depend on (refused if a resume differs)
 *   prompts.jsonl  the prompts, copied, so the run does not depend on the original file
 *   group_ids.tsv  an integer per prompt, for exports whose group_id is an integer
 *   reference.json the reference model whose log-probs the pairs carry, and how they were taken
 *   pairs.log      the pair log
 *   summary.json   the closing summary
 * </pre>
 */
public final class RunDirectory {

  /** The pair log's file name in a run directory. */
  public static final String PAIR_LOG = "pairs.log";

  /** The reference record's file name in a run directory. */
  public static final String REFERENCE = "reference.json";

  /** The prompts' file name in a run directory. */
  public static final String PROMPTS = "prompts.jsonl";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;

  private RunDirectory(Path dir) {
    this.dir = dir;
  }

  /**
   * Creates a run directory, or reopens one made with the same manifest.
   *
   * @throws IllegalArgumentException naming {@code run.json} and the differing field when the
   *     directory belongs to a run with other settings
   */
  public static RunDirectory openOrCreate(Path dir, RunManifest manifest, List<TaskSpec> tasks) throws IOException {
    Path runJson = dir.resolve("run.json");
    if (Files.exists(runJson)) {
      RunManifest old = read(runJson);
      String diff = difference(old, manifest);
      if (diff != null) {
        throw new IllegalArgumentException(runJson + ": this run was made with different settings (" + diff
            + "); resume it with the same settings or use a new directory");
      }
      return new RunDirectory(dir);
    }
    Files.createDirectories(dir);
    AtomicFile.writeString(dir.resolve(PROMPTS), TaskSpec.jsonLines(tasks));
    GroupIds.inOrder(tasks.stream().map(TaskSpec::id).toList(), dir.resolve(GroupIds.FILE))
        .write(dir.resolve(GroupIds.FILE));
    writeAtomically(runJson, JSON.writeValueAsString(manifest));
    return new RunDirectory(dir);
  }

  /** Opens an existing run directory for reading. */
  public static RunDirectory existing(Path dir) {
    if (!Files.exists(dir.resolve("run.json"))) {
      throw new IllegalArgumentException(dir + ": not a run directory (no run.json)");
    }
    return new RunDirectory(dir);
  }

  private static RunManifest read(Path runJson) throws IOException {
    try {
      return JSON.readValue(Files.readString(runJson), RunManifest.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(runJson + ": unreadable run manifest: " + e.getMessage(), e);
    }
  }

  private static String difference(RunManifest a, RunManifest b) {
    if (!a.runId().equals(b.runId())) {
      return "run id " + a.runId() + " vs " + b.runId();
    }
    if (!a.promptsSha256().equals(b.promptsSha256())) {
      return "prompts differ";
    }
    if (!a.policy().equals(b.policy())) {
      return "policy " + a.policy() + " vs " + b.policy();
    }
    for (Map.Entry<String, String> e : b.search().entrySet()) {
      if (!Objects.equals(a.search().get(e.getKey()), e.getValue())) {
        return e.getKey() + " " + a.search().get(e.getKey()) + " vs " + e.getValue();
      }
    }
    return a.search().keySet().equals(b.search().keySet()) ? null : "search settings";
  }

  /** The manifest stored in the directory. */
  public RunManifest manifest() throws IOException {
    return read(dir.resolve("run.json"));
  }

  /** The run's prompts, as the search receives them. */
  public List<TaskSpec> taskSpecs() throws IOException {
    Path file = dir.resolve(PROMPTS);
    List<TaskSpec> out = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      try {
        JsonNode n = JSON.readTree(lines.get(i));
        out.add(new TaskSpec(n.get("id").asText(), n.get("prompt").asText(), n.get("length").asInt(), lines.get(i)));
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException(file + ":" + (i + 1) + ": not a task as the run stored it: " + e.getMessage(), e);
      }
    }
    return out;
  }

  /**
   * The prompts' integer group ids: {@code group_ids.tsv}, or for a run made before that file
   * existed the same numbering derived from {@code prompts.jsonl}.
   */
  public GroupIds groupIds() throws IOException {
    Path file = dir.resolve(GroupIds.FILE);
    if (Files.exists(file)) {
      return GroupIds.read(file);
    }
    return GroupIds.inOrder(taskSpecs().stream().map(TaskSpec::id).toList(), dir.resolve(PROMPTS));
  }

  /**
   * Records the reference whose log-probs the search writes into pairs; a run resumed with another
   * reference is refused, as its pairs would mix two references' log-probs.
   */
  public void recordReference(ReferenceRecord r) throws IOException {
    Path file = dir.resolve(REFERENCE);
    Optional<ReferenceRecord> old = reference();
    if (old.isPresent() && !old.get().equals(r)) {
      throw new IllegalArgumentException(file + ": this run's pairs carry log-probs of the reference with weights "
          + old.get().weightsSha256() + " (" + old.get().logProbs() + "), not " + r.weightsSha256() + " ("
          + r.logProbs() + "); resume it with the same model or use a new directory");
    }
    if (old.isEmpty()) {
      r.write(file);
    }
  }

  /** The reference the run's pairs were scored with; empty for a run made before it was recorded. */
  public Optional<ReferenceRecord> reference() {
    return ReferenceRecord.read(dir.resolve(REFERENCE));
  }

  /** The pair log's path. */
  public Path pairLog() {
    return dir.resolve(PAIR_LOG);
  }

  /** The directory. */
  public Path dir() {
    return dir;
  }

  /** Writes {@code summary.json} atomically. */
  public void writeSummary(Object summary) throws IOException {
    writeAtomically(dir.resolve("summary.json"), JSON.writeValueAsString(summary));
  }

  /** The SHA-256 of the tasks as the run stores them. */
  public static String hash(List<TaskSpec> tasks) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
          TaskSpec.jsonLines(tasks).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }


  static void writeAtomically(Path file, String content) throws IOException {
    AtomicFile.writeString(file, content);
  }

  /** Reads a JSON file of the run. */
  public JsonNode readJson(String name) throws IOException {
    return JSON.readTree(Files.readString(dir.resolve(name)));
  }
}
