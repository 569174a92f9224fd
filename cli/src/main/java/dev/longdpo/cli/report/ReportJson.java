package dev.longdpo.cli.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longdpo.actors.evaluator.EvalRecord;
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

  /**
   * @param rows the table, base first
   * @param checkpoints every evaluation of the run, in order
   * @param run what the run did (settings, counts, timings), as plain values
   */
  public static String render(List<ReportRow> rows, List<EvalRecord> checkpoints, Map<String, Object> run) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode list = root.putArray("rows");
    for (ReportRow r : rows) {
      ObjectNode n = list.addObject();
      n.put("model", r.model());
      n.put("checkpoint", r.record().checkpoint());
      n.put("step", r.record().step());
      n.put("trained_tokens", r.record().trainedTokens());
      n.setAll(r.record().scoresJson());
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
