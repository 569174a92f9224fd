package dev.longdpo.cli;

import com.typesafe.config.Config;
import dev.longdpo.testbed.pretrain.BaseModelStore;
import java.io.IOException;
import java.nio.file.Path;

/** The embedded default's pieces the commands share: the tiny base model, pretrained on demand. */
public final class EmbeddedDefault {

  private EmbeddedDefault() {}

  /** The base model directory; pretrains it first (with progress) if it is missing. */
  public static Path baseModel(Config config, Progress progress) throws IOException {
    BaseModelStore store = store(config);
    if (!store.exists()) {
      progress.info("no base model for these settings yet: pretraining it first (a few minutes, once)");
    }
    return store.ensure(progress);
  }

  /** The store for the configured testbed. */
  public static BaseModelStore store(Config config) {
    return BaseModelStore.of(config);
  }
}
