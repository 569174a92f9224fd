package dev.longdpo.testbed.task;

/** LongGenBench's three kinds of section instruction. */
public enum InstructionType {
  /** One section: "In Week 3, mention ...". */
  SINGLE,
  /** A range: "From Week 2 to Week 4, mention ...". */
  RANGE,
  /** Periodic: "Every 2 weeks from Week 1, mention ...". */
  PERIODIC
}
