package dev.longdpo.testbed.pretrain;

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
 * it (resuming an interrupted run) when it is missing. A file lock keeps two processes from
 * training the same base at once.
 */
public final class BaseModelStore {

  /** Bumped when the pretraining pipeline changes in a way that changes the model. */
  public static final int FORMAT = 1;

  private final Path home;
  private final TestbedSettings settings;

  /** A store under {@code home} for bases trained with {@code settings}. */
  public BaseModelStore(Path home, TestbedSettings settings) {
    this.home = home;
    this.settings = settings;
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

  /** The base model directory, pretraining it first if it is missing. */
  public Path ensure(PretrainListener listener) throws IOException {
    if (exists()) {
      return modelDir();
    }
    Path dir = home.resolve("base").resolve(key());
    Files.createDirectories(dir);
    try (FileChannel lockFile = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockFile.lock()) {
      if (!exists()) { // another process may have finished while we waited
        listener.info("pretraining the base model (key " + key() + ") into " + modelDir());
        new Pretrainer(settings).run(modelDir(), dir.resolve("work"), listener);
      }
      return modelDir();
    }
  }

  /** Pretrains into a directory of the caller's choice (its work directory beside it). */
  public static void pretrainTo(Path out, TestbedSettings settings, PretrainListener listener) throws IOException {
    Path work = out.toAbsolutePath().resolveSibling("." + out.getFileName() + ".work");
    new Pretrainer(settings).run(out, work, listener);
  }
}
