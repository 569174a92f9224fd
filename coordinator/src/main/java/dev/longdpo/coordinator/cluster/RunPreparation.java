package dev.longdpo.coordinator.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.longdpo.actors.backend.RunBackends;
import dev.longdpo.coordinator.SearchBackends;
import dev.longdpo.coordinator.run.ReferenceRecord;
import dev.longdpo.coordinator.run.RunDirectory;
import dev.longdpo.coordinator.search.SearchSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.slf4j.Logger;

/**
 * Gets a run ready to search, on a blocking thread of the manager's node: its settings (from the
 * run's search.conf) and its backends (the base model in {@code base/}, its sha256, the prompts'
 * token ids), whose reference is then recorded in the run directory.
 */
final class RunPreparation {

  private RunPreparation() {}

  record Result(SearchSettings settings, SearchBackends backends, String baseSha256) {}

  /**
   * @param progress hears what preparation is doing now (pretraining's phase and step), for status
   */
  static Result prepare(Path runDir, ClusterRunFiles.Submitted submitted, Config nodeConfig, Logger log,
      java.util.function.Consumer<String> progress) {
    try {
      Config config = ConfigFactory.parseFile(runDir.resolve(ClusterRunFiles.SEARCH).toFile())
          .withFallback(nodeConfig).resolve();
      SearchSettings settings = SearchSettings.create(config);
      RunDirectory run = RunDirectory.existing(runDir);
      RunBackends.Prepared b = RunBackends.prepare(runDir.resolve(ClusterRunFiles.BASE), submitted.backend(),
          run.taskSpecs(), nodeConfig, log, progress);
      if (!b.baseSha256().isEmpty()) {
        run.recordReference(ReferenceRecord.fromSampler(b.baseSha256()));
      }
      return new Result(settings, new SearchBackends(b.prompts(), b.facts()), b.baseSha256());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
