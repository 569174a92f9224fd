package dev.longdpo.cli.report;

import dev.longdpo.actors.evaluator.EvalRecord;

/**
 * One row of the report's table: a model role (base, dpo, longdpo) and its evaluation (the
 * variant's last checkpoint).
 */
public record ReportRow(String model, EvalRecord record) {}
