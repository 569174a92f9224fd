package dev.longdpo.testbed.judge;

/** LongDPO's seven quality principles (method.md §2.4), in the judge prompt's order. */
public enum Principle {
  /** Accurate and free of factual errors: agrees with the task's facts and earlier statements. */
  ACCURACY("accurate and free of factual errors"),
  /** Meets the user's purpose: on topic, follows section instructions. */
  PURPOSE("meets the user's purpose and needs"),
  /** Non-toxic and safe: no banned words. */
  SAFETY("non-toxic and safe"),
  /** Formatting and logical consistency: paragraph and section structure. */
  FORMAT("meets the formatting requirements and is logically consistent"),
  /** Diverse with minimal repetition. */
  DIVERSITY("diverse, with minimal repetition"),
  /** An excellent reading experience: well-formed sentences. */
  READING("an excellent reading experience"),
  /** Insightful: covers aspects not covered yet. */
  INSIGHT("insightful, covering new aspects");

  private final String description;

  Principle(String description) {
    this.description = description;
  }

  /** What the principle asks for. */
  public String description() {
    return description;
  }
}
