package dev.longdpo.cli.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longdpo.actors.evaluator.EvalRecord;
import dev.longdpo.testbed.metrics.SubjectBootstrap;
import java.util.List;
import java.util.Map;

/**
 * {@code report.json}: the table for scripts, {@code {"rows": [{"model": ..., "checkpoint": ...,
 * "S_l": {...}, "S_q": {...}, "CR": x, "STIC1": x, "STIC2": x, "judge_free": {...}}], ...}}, plus
 * every evaluated checkpoint and what the run measured.
 */
public final class ReportJson {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportJson() {}

  private static Map<String, Map<String, Double>> intervals(Map<String, SubjectBootstrap.Interval> m) {
    Map<String, Map<String, Double>> out = new java.util.LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, Map.of("estimate", v.estimate(), "low", v.low(), "high", v.high())));
    return out;
  }

  /**
   * @param rows the table, base first
   * @param differences the comparisons between rows, with their intervals
   * @param checkpoints every evaluation of the run, in order
   * @param run what the run did (settings, counts, timings), as plain values
   */
  public static String render(List<ReportRow> rows, DifferenceTable differences, List<EvalRecord> checkpoints,
      Map<String, Object> run) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode list = root.putArray("rows");
    for (ReportRow r : rows) {
      ObjectNode n = list.addObject();
      n.put("model", r.model());
      n.put("checkpoint", r.record().checkpoint());
      n.put("step", r.record().step());
      n.put("trained_tokens", r.record().trainedTokens());
      n.setAll(r.record().scoresJson());
      // The row's own headline metrics with their intervals (resampling subjects, as the differences).
      n.set("intervals", JSON.valueToTree(intervals(SubjectBootstrap.of(r.record().scores().perSample(),
          SubjectBootstrap.RESAMPLES, SubjectBootstrap.SEED))));
    }
    ArrayNode comparisons = root.putArray("comparisons");
    for (Comparison c : differences.comparisons()) {
      comparisons.add(JSON.valueToTree(c.asMap()));
    }
    ArrayNode all = root.putArray("checkpoints");
    for (EvalRecord e : checkpoints) {
      ObjectNode n = all.addObject();
      n.put("model", e.variant());
      n.put("checkpoint", e.checkpoint());
      n.put("step", e.step());
      n.put("trained_tokens", e.trainedTokens());
      n.setAll(e.scoresJson());
    }
    root.set("run", JSON.valueToTree(run));
    try {
      return JSON.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
