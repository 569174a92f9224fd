package dev.longdpo.actors.evaluator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longdpo.testbed.metrics.EvalScores;
import dev.longdpo.testbed.metrics.Sample;
import dev.longdpo.testbed.pretrain.DecodingSettings;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One evaluated model: which checkpoint, its scores, and every sample with what it takes to
 * recompute them ({@code eval/<checkpoint>.json}).
 *
 * @param checkpoint the checkpoint's name ("base" for the base model)
 * @param variant the model variant ("base", "dpo", "longdpo", ...)
 * @param path where the weights are
 * @param step optimizer steps of the checkpoint (0 for the base)
 * @param trainedTokens tokens trained on (0 for the base)
 * @param last whether it is its variant's final checkpoint
 * @param seed the decoding seed
 * @param seconds time the evaluation took
 * @param scores every score
 * @param samples the outputs, in task order
 */
public record EvalRecord(
    String checkpoint,
    String variant,
    String path,
    long step,
    long trainedTokens,
    boolean last,
    long seed,
    double seconds,
    EvalScores scores,
    List<Sample> samples) {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The scores as the report's table row has them ({@code S_l}, {@code S_q}, CR, ...). */
  public ObjectNode scoresJson() {
    ObjectNode n = JSON.createObjectNode();
    putMap(n.putObject("S_l"), scores.sl());
    putMap(n.putObject("S_q"), scores.sq());
    ObjectNode dims = n.putObject("S_q_dimensions");
    scores.sqDimensions().forEach((d, v) -> dims.put(d.name().toLowerCase(Locale.ROOT), v));
    n.put("CR", scores.sections().cr());
    n.put("STIC1", scores.sections().stic1());
    n.put("STIC2", scores.sections().stic2());
    putMap(n.putObject("judge_free"), scores.judgeFree().asMap());
    return n;
  }

  /** The whole record. */
  public String toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("checkpoint", checkpoint);
    n.put("model", variant);
    n.put("path", path);
    n.put("step", step);
    n.put("trained_tokens", trainedTokens);
    n.put("last", last);
    n.put("seconds", seconds);
    ObjectNode decoding = n.putObject("decoding");
    decoding.put("temperature", DecodingSettings.TEMPERATURE);
    decoding.put("top_p", DecodingSettings.TOP_P);
    decoding.put("seed", seed);
    decoding.put("max_new_tokens", "the context left after the prompt");
    n.set("scores", scoresJson());
    ArrayNode list = n.putArray("samples");
    for (int i = 0; i < samples.size(); i++) {
      EvalScores.PerSample p = scores.perSample().get(i);
      ObjectNode s = list.addObject();
      s.put("task_id", p.taskId());
      s.put("bucket", p.bucket());
      s.put("required_length", p.requiredLength());
      s.put("output_words", p.outputWords());
      s.put("S_l", p.sl());
      s.put("S_q", p.sqScore());
      s.put("ended", samples.get(i).endedWithEos());
      s.put("output", samples.get(i).output());
    }
    try {
      return JSON.writeValueAsString(n);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One line for the run's evaluation log: the record without its samples. */
  public String summaryLine() {
    ObjectNode n = new ObjectMapper().createObjectNode();
    n.put("checkpoint", checkpoint);
    n.put("model", variant);
    n.put("step", step);
    n.put("trained_tokens", trainedTokens);
    n.put("last", last);
    n.set("scores", scoresJson());
    return n.toString();
  }

  /** Reads the scores part of a summary line or record back. */
  public static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Reads a record back ({@link #toJson}): its samples with their tasks (by id, from the run's
   * held-out tasks), the scores recomputed from them and checked against the ones written.
   *
   * @throws IllegalArgumentException naming the file and what does not fit
   */
  public static EvalRecord read(java.nio.file.Path file, Map<String, dev.longdpo.testbed.task.WritingTask> tasks,
      dev.longdpo.testbed.task.LengthBuckets buckets) throws java.io.IOException {
    JsonNode n = JSON.readTree(file.toFile());
    List<Sample> samples = new java.util.ArrayList<>();
    for (JsonNode s : n.path("samples")) {
      dev.longdpo.testbed.task.WritingTask t = tasks.get(s.path("task_id").asText());
      if (t == null) {
        throw new IllegalArgumentException(file + ": sample of task '" + s.path("task_id").asText()
            + "', which is not among the run's held-out tasks");
      }
      samples.add(new Sample(t, s.path("output").asText(), s.path("ended").asBoolean()));
    }
    EvalScores scores = EvalScores.of(samples, buckets);
    double written = n.path("scores").path("S_l").path("avg").asDouble(Double.NaN);
    if (Double.compare(written, scores.sl().get("avg")) != 0) {
      throw new IllegalArgumentException(file + ": its samples score S_l " + scores.sl().get("avg")
          + ", the record says " + written + " (written by another build?)");
    }
    return new EvalRecord(n.path("checkpoint").asText(), n.path("model").asText(), n.path("path").asText(),
        n.path("step").asLong(), n.path("trained_tokens").asLong(), n.path("last").asBoolean(),
        n.path("decoding").path("seed").asLong(), n.path("seconds").asDouble(), scores, List.copyOf(samples));
  }

  private static void putMap(ObjectNode n, Map<String, Double> m) {
    m.forEach(n::put);
  }
}
