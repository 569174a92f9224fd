package dev.longdpo.testbed.metrics;

import dev.longdpo.testbed.task.SectionSpec;
import dev.longdpo.testbed.text.Paragraphs;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * LongGenBench's metrics (method.md §4), computed exactly from the text: the output is split into
 * blocks by their headers ("Week k:"); a check asks whether block k mentions an item.
 *
 * <ul>
 *   <li>CR: percentage of expected blocks 1..N present, averaged over samples;
 *   <li>STIC-1: satisfied checks / checks whose block exists, pooled over samples;
 *   <li>STIC-2: satisfied checks / all checks, pooled over samples.
 * </ul>
 */
public final class SectionMetrics {

  /** Counts for one sample. */
  public record Counts(int expectedBlocks, int presentBlocks, int checks, int checksOnPresent, int satisfied) {

    /** This sample's completion rate, 0–100. */
    public double cr() {
      return expectedBlocks == 0 ? 0 : 100.0 * presentBlocks / expectedBlocks;
    }
  }

  private SectionMetrics() {}

  /** Counts for one output of a sectioned task. */
  public static Counts count(SectionSpec spec, String output) {
    Map<Integer, String> blocks = new HashMap<>();
    for (String p : Paragraphs.split(output)) {
      Optional<Paragraphs.Header> h = Paragraphs.header(p);
      if (h.isPresent() && h.get().label().equals(spec.label())) {
        blocks.putIfAbsent(h.get().number(), p.toLowerCase(Locale.ROOT));
      }
    }
    int present = 0;
    for (int k = 1; k <= spec.count(); k++) {
      if (blocks.containsKey(k)) {
        present++;
      }
    }
    int checks = 0;
    int onPresent = 0;
    int yes = 0;
    for (var instruction : spec.instructions()) {
      for (int k : instruction.sections()) {
        checks++;
        String block = blocks.get(k);
        if (block != null) {
          onPresent++;
          if (block.contains(instruction.item().toLowerCase(Locale.ROOT))) {
            yes++;
          }
        }
      }
    }
    return new Counts(spec.count(), present, checks, onPresent, yes);
  }

  /** CR, STIC-1 and STIC-2 (each 0–100) over samples. */
  public record Summary(double cr, double stic1, double stic2, int samples) {}

  /** Aggregates samples' counts. */
  public static Summary summarize(List<Counts> samples) {
    if (samples.isEmpty()) {
      return new Summary(0, 0, 0, 0);
    }
    double cr = samples.stream().mapToDouble(Counts::cr).average().orElse(0);
    int onPresent = samples.stream().mapToInt(Counts::checksOnPresent).sum();
    int checks = samples.stream().mapToInt(Counts::checks).sum();
    int yes = samples.stream().mapToInt(Counts::satisfied).sum();
    return new Summary(
        cr, onPresent == 0 ? 0 : 100.0 * yes / onPresent, checks == 0 ? 0 : 100.0 * yes / checks, samples.size());
  }
}
