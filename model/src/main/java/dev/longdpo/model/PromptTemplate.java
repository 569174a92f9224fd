package dev.longdpo.model;

/**
 * How a user prompt becomes model input text. One format is shared by pretraining, {@code model
 * generate}, the search and the exports, so a prompt means the same thing everywhere.
 */
public enum PromptTemplate {
  /** The prompt as given. */
  RAW,
  /** LongWriter's format, {@code [INST] prompt [/INST]}, which the testbed uses. */
  INST;

  /** The model input for a user prompt. */
  public String apply(String prompt) {
    return switch (this) {
      case RAW -> prompt;
      case INST -> "[INST] " + prompt + " [/INST]";
    };
  }

  /** Parses {@code raw} or {@code inst}, case-insensitively. */
  public static PromptTemplate parse(String name) {
    for (PromptTemplate t : values()) {
      if (t.name().equalsIgnoreCase(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown template '" + name + "' (raw, inst)");
  }
}
