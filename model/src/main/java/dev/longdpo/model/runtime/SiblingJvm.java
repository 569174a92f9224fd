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
