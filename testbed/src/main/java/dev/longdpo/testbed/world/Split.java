package dev.longdpo.testbed.world;

import java.util.Locale;

/**
 * Which part of the world's subjects a set of tasks may be about. The base model's pretraining
 * covers every subject (its world knowledge), but preference training and evaluation never share
 * one: the search and both trainers see {@link #TRAIN} subjects only, settings are chosen by
 * measuring on {@link #VALIDATION}, and the reported tables are on {@link #TEST}.
 */
public enum Split {
  TRAIN,
  VALIDATION,
  TEST;

  /** The name as configs and command lines write it ("train", "validation", "test"). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The split a config or command line names.
   *
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  public static Split parse(String label) {
    for (Split s : values()) {
      if (s.label().equals(label)) {
        return s;
      }
    }
    throw new IllegalArgumentException("'" + label + "' is not a split (train, validation or test)");
  }
}
