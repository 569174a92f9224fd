package dev.longdpo.testbed.judge;

/** LongWriter's six quality dimensions for S_q (method.md §4). */
public enum QualityDimension {
  /** On topic and following the instructions. */
  RELEVANCE,
  /** Agrees with the task's facts and itself. */
  ACCURACY,
  /** Structure: intro, body and conclusion, or the sections in order. */
  COHERENCE,
  /** Well-formed sentences. */
  CLARITY,
  /** Covers the subject's aspects, as many as the length allows. */
  BREADTH_AND_DEPTH,
  /** Free of repetition. */
  READING_EXPERIENCE
}
