package dev.longdpo.cli.report;

import dev.longdpo.actors.evaluator.EvalRecord;
import dev.longdpo.testbed.metrics.SubjectBootstrap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One model against another on the same held-out tasks: each headline metric's difference with
 * its 95% interval from resampling subjects ({@link SubjectBootstrap}).
 *
 * @param model the row compared ("longdpo")
 * @param against the row it is compared with ("base", "dpo")
 * @param subjects the subjects the tasks are about (what a resample draws)
 * @param metrics metric name → difference (model − against) and interval
 */
public record Comparison(String model, String against, int subjects, Map<String, SubjectBootstrap.Interval> metrics) {

  /** Compares two evaluations of the same tasks. */
  public static Comparison of(String model, EvalRecord a, String against, EvalRecord b) {
    return new Comparison(model, against, SubjectBootstrap.subjects(a.scores().perSample()),
        SubjectBootstrap.difference(a.scores().perSample(), b.scores().perSample(), SubjectBootstrap.RESAMPLES,
            SubjectBootstrap.SEED));
  }

  /** "longdpo - base". */
  public String label() {
    return model + " - " + against;
  }

  /** For report.json: per metric its difference, interval and whether the interval excludes 0. */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", model);
    m.put("against", against);
    m.put("subjects", subjects);
    m.put("resamples", SubjectBootstrap.RESAMPLES);
    m.put("interval", "95% percentile, resampling subjects");
    Map<String, Object> each = new LinkedHashMap<>();
    metrics.forEach((k, v) -> {
      Map<String, Object> i = new LinkedHashMap<>();
      i.put("difference", v.estimate());
      i.put("low", v.low());
      i.put("high", v.high());
      i.put("excludes_zero", v.excludesZero());
      each.put(k, i);
    });
    m.put("metrics", each);
    return m;
  }
}
