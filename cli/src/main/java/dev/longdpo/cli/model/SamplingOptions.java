package dev.longdpo.cli.model;

import dev.longdpo.model.generate.SamplingParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** Decoding options shared by commands that generate. */
public final class SamplingOptions {

  @Option(names = "--greedy", description = "Pick the most likely token each step (ignores temperature).")
  boolean greedy;

  @Option(names = "--max-new-tokens", defaultValue = "64", paramLabel = "<n>",
      description = "Stop after this many tokens (default ${DEFAULT-VALUE}).")
  int maxNewTokens;

  @Option(names = "--temperature", defaultValue = "1.0", paramLabel = "<t>",
      description = "Sampling temperature (default ${DEFAULT-VALUE}).")
  double temperature;

  @Option(names = "--top-p", defaultValue = "1.0", paramLabel = "<p>", description = "Nucleus size (default ${DEFAULT-VALUE}).")
  double topP;

  @Option(names = "--top-k", defaultValue = "0", paramLabel = "<k>", description = "Keep the k likeliest tokens; 0 = all.")
  int topK;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "<n>", description = "Sampling seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--stop", paramLabel = "<text>", description = "Stop when the output contains this text (repeatable).")
  List<String> stop = new ArrayList<>();

  /** The parameters these options describe. */
  public SamplingParams params() {
    return new SamplingParams(greedy ? 0 : temperature, topP, topK, maxNewTokens, true, Set.of(), stop, List.of());
  }

  /** The seed. */
  public long seed() {
    return seed;
  }
}
