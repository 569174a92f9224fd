package dev.longdpo.testbed.pretrain;

/** Receives pretraining progress, so a command can show a bar. */
public interface PretrainListener {

  /** A new phase begins ("corpus", "train", "report", ...). */
  default void phase(String name, long total) {}

  /** Work done in the current phase. */
  default void progress(long done, String detail) {}

  /** A line worth printing. */
  default void info(String line) {}

  /** A listener that ignores everything. */
  PretrainListener SILENT = new PretrainListener() {};
}
