package dev.longdpo.testbed.pretrain;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.longdpo.model.ModelSettings;
import dev.longdpo.testbed.TestbedSettings;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The entry point of a pretraining JVM started by {@link PretrainJvm}: {@code <settings.json>
 * <parent pid> store} pretrains the base into its store (under the store's lock), {@code
 * <settings.json> <parent pid> out <dir>} into a directory of the caller's choice. Progress goes to
 * standard output as {@link ProgressLines}; the exit code is 0 when the model is written. The JVM
 * exits when the process that started it does (a killed demo leaves no pretraining behind; its
 * checkpoints let the next run resume). That process is named by its pid, not found as this one's
 * parent: killed before this JVM got that far, the parent would already be init.
 */
public final class PretrainJvmMain {

  /** Exit code when the pretraining failed (its reason on standard output). */
  static final int FAILED = 1;
  /** Exit code when the arguments are not what {@link PretrainJvm} passes. */
  static final int USAGE = 2;
  /** Exit code when the parent process went away first. */
  static final int ORPHANED = 3;

  private PretrainJvmMain() {}

  public static void main(String[] args) {
    PrintStream out = System.out;
    if (args.length < 3 || !args[1].matches("\\d+")
        || !(args[2].equals("store") && args.length == 3 || args[2].equals("out") && args.length == 4)) {
      out.println(ProgressLines.failure("usage: PretrainJvmMain <settings.json> <parent pid> store | out <dir>"));
      System.exit(USAGE);
    }
    ProcessHandle.of(Long.parseLong(args[1])).ifPresentOrElse(
        parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(ORPHANED)),
        () -> Runtime.getRuntime().halt(ORPHANED));
    try {
      Config config = ConfigFactory.parseFile(Path.of(args[0]).toFile()).withFallback(ConfigFactory.load()).resolve();
      ModelSettings.create(config).applyToRuntime();
      TestbedSettings settings = TestbedSettings.create(config);
      PretrainListener listener = ProgressLines.writer(out);
      if (args[2].equals("store")) {
        BaseModelStore.of(config).pretrainHere(listener);
      } else {
        Path dir = Path.of(args[3]);
        new Pretrainer(settings).run(dir, BaseModelStore.workDirBeside(dir), listener);
      }
    } catch (Exception | OutOfMemoryError e) {
      out.println(ProgressLines.failure(e.getClass().getSimpleName() + ": " + e.getMessage()));
      e.printStackTrace();
      System.exit(FAILED);
    }
    System.exit(0);
  }
}
