package dev.longdpo.coordinator.export;

/** Output formats of {@code longdpo export}. */
public enum ExportFormat {
  /** TRL DPOTrainer JSONL: prompt, chosen, rejected (+ group_id, depth). */
  TRL,
  /** The official LongDPO JSONL: instruction, chosen, rejected, group_id, depth, answer_role. */
  LONGDPO
}
