package dev.longdpo.model.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A JVM started from this one, as {@code ./longdpo} starts its own: the same java and class path,
 * the Parallel collector (training's bits depend on it, docs/reproducibility.md), headless, and
 * the launcher's malloc settings (docs/footprint.md).
 */
public final class SiblingJvm {

  /** The launcher's malloc settings: two arenas, blocks of 4 MB or more mapped, huge pages on request. */
  private static final Map<String, String> LAUNCHER_MALLOC = Map.of(
      "MALLOC_ARENA_MAX", "2",
      "MALLOC_MMAP_THRESHOLD_", "4194304",
      "GLIBC_TUNABLES", "glibc.malloc.hugetlb=1");

  /**
   * Training's malloc settings, over the launcher's: blocks up to 32 MB (glibc's largest
   * threshold) come from the arenas; the top of an arena is given back only above 1 GiB free and
   * grows 64 MB at a time, so each step's arrays reuse the last step's pages instead of faulting
   * in new ones. A process that only trains runs its steps 1.5 to 1.7 times as fast under them
   * (bench P13, P12), at a higher resident set: they suit the pretraining's JVM and trainer-only
   * nodes, not a process that also decodes (docs/footprint.md).
   */
  private static final Map<String, String> TRAINING_MALLOC = Map.of(
      "MALLOC_MMAP_THRESHOLD_", Integer.toString(32 << 20),
      "MALLOC_TRIM_THRESHOLD_", Integer.toString(1 << 30),
      "MALLOC_TOP_PAD_", Integer.toString(64 << 20));

  private SiblingJvm() {}

  /** The command line: java, the collector, {@code jvmOptions}, this class path, the main class and its arguments. */
  public static List<String> command(List<String> jvmOptions, String mainClass, List<String> args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseParallelGC", "-Djava.awt.headless=true"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(args);
    return command;
  }

  /** Sets the launcher's malloc settings in {@code env} where it has none of its own. */
  public static void putLauncherMallocSettings(Map<String, String> env) {
    LAUNCHER_MALLOC.forEach(env::putIfAbsent);
  }

  /**
   * Sets training's malloc settings in {@code env}, replacing the launcher's threshold there, and
   * the launcher's others (two arenas, huge pages on request) where it has none of its own.
   */
  public static void putTrainingMallocSettings(Map<String, String> env) {
    env.putAll(TRAINING_MALLOC);
    putLauncherMallocSettings(env);
  }

  /** Training's malloc settings, as environment variables. */
  public static Map<String, String> trainingMallocSettings() {
    return TRAINING_MALLOC;
  }

  /**
   * DJL's settings as this JVM has them (native cache, offline mode, threads), as {@code -D}
   * options: a child that must compute what this JVM would (the same natives, the same threads)
   * passes them on.
   */
  public static List<String> djlProperties() {
    List<String> out = new ArrayList<>();
    System.getProperties().forEach((k, v) -> {
      String key = k.toString();
      if (key.startsWith("ai.djl.") || key.equals("DJL_CACHE_DIR") || key.equals("ENGINE_CACHE_DIR")
          || key.equals("OPT_OUT_TRACKING")) {
        out.add("-D" + key + "=" + v);
      }
    });
    out.sort(null);
    return out;
  }
}
