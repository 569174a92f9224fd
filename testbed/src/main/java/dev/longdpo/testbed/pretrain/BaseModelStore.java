package dev.longdpo.testbed.pretrain;

import com.typesafe.config.Config;
import dev.longdpo.config.Validate;
import dev.longdpo.testbed.TestbedSettings;
import dev.longdpo.testbed.world.Lexicon;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The pretrained base model under {@code $LONGDPO_HOME/base/<key>/model}, where the key hashes
 * everything that shapes it (lexicon version, corpus, tokenizer, model and training settings), so a
 * stale base is never picked up. Commands that need the base call {@link #ensure}, which pretrains
 * it (resuming an interrupted run) when it is missing, in a JVM of its own ({@link PretrainJvm}). A
 * file lock keeps two processes from training the same base at once.
 */
public final class BaseModelStore {

  /** Bumped when the pretraining pipeline changes in a way that changes the model. */
  public static final int FORMAT = 1;

  private final Path home;
  private final TestbedSettings settings;
  private final Config config;

  private BaseModelStore(Path home, TestbedSettings settings, Config config) {
    this.home = home;
    this.settings = settings;
    this.config = config;
  }

  /**
   * The store under {@code longdpo.home} for bases trained with {@code longdpo.testbed}'s settings;
   * a bad setting throws here, naming its key.
   */
  public static BaseModelStore of(Config config) {
    return new BaseModelStore(Validate.path(config, "longdpo.home"), TestbedSettings.create(config), config);
  }

  /** Everything that shapes the base model, as one canonical line. */
  String fingerprint() {
    TestbedSettings.PretrainSettings p = settings.pretrain();
    return "format=" + FORMAT
        + ";lexicon=" + Lexicon.VERSION
        + ";corpus=" + settings.corpus()
        + ";vocab=" + settings.maxVocabulary()
        + ";model=" + settings.model()
        + ";train=" + p.epochs() + "," + p.batchTokens() + "," + p.learningRate() + "," + p.warmupSteps()
        + "," + p.minLrRatio() + "," + p.weightDecay() + "," + p.maxGradNorm();
  }

  /** The cache key: 12 hex digits of the fingerprint's SHA-256. */
  public String key() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(fingerprint().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Where the base model for these settings lives (whether or not it exists yet). */
  public Path modelDir() {
    return home.resolve("base").resolve(key()).resolve("model");
  }

  /** Whether the base model exists. */
  public boolean exists() {
    return Files.exists(modelDir().resolve("config.json"));
  }

  /**
   * The base model directory, pretraining it first (in a JVM of its own, which waits for the lock)
   * if it is missing.
   */
  public Path ensure(PretrainListener listener) throws IOException {
    if (!exists()) {
      PretrainJvm.pretrainIntoStore(config, listener);
      if (!exists()) {
        throw new IOException("the pretraining JVM ended without a base model in " + modelDir());
      }
    }
    return modelDir();
  }

  /** {@link #ensure}'s work, in this JVM: the pretraining JVM runs it. */
  void pretrainHere(PretrainListener listener) throws IOException {
    Path dir = home.resolve("base").resolve(key());
    Files.createDirectories(dir);
    try (FileChannel lockFile = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockFile.lock()) {
      if (!exists()) { // another process may have finished while we waited
        listener.info("pretraining the base model (key " + key() + ") into " + modelDir());
        new Pretrainer(settings).run(modelDir(), dir.resolve("work"), listener);
      }
    }
  }

  /**
   * Pretrains with {@code config}'s settings into a directory of the caller's choice (its work
   * directory beside it), in a JVM of its own.
   */
  public static void pretrainTo(Path out, Config config, PretrainListener listener) throws IOException {
    TestbedSettings.create(config); // bad settings are named here, not in the other JVM
    PretrainJvm.pretrainInto(config, out, listener);
  }

  /** Where a pretraining into {@code out} keeps its checkpoints: {@code .<name>.work} beside it. */
  static Path workDirBeside(Path out) {
    return out.toAbsolutePath().resolveSibling("." + out.getFileName() + ".work");
  }
}
