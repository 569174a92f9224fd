package dev.longdpo.cli.node;

import com.typesafe.config.Config;
import java.util.List;
import org.apache.pekko.cluster.ConfigValidation;
import org.apache.pekko.cluster.JoinConfigCompatChecker;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Refuses a joining node of another build: Kryo ids and Protobuf manifests are only agreed
 * between nodes whose {@code longdpo.node.build-id} (a hash of both tables, see {@link BuildId})
 * is equal. Pekko logs the refusal on both sides and the joining node shuts down.
 */
public final class BuildCompatCheck extends JoinConfigCompatChecker {

  static final String KEY = "longdpo.node.build-id";

  private static final Seq<String> KEYS = CollectionConverters.asScala(List.of(KEY)).toList();

  @Override
  public Seq<String> requiredKeys() {
    return KEYS;
  }

  @Override
  public ConfigValidation check(Config toCheck, Config actualConfig) {
    return JoinConfigCompatChecker.fullMatch(KEYS, toCheck, actualConfig);
  }
}
