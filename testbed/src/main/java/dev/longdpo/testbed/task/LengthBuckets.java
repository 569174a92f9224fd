package dev.longdpo.testbed.task;

import java.util.List;

/**
 * LongBench-Write's length buckets, by required length. The paper's are [0,500), [500,2k), [2k,4k)
 * and [4k,20k) words. The testbed's mirror them at one tenth, what a CPU model writes in seconds,
 * with the last capped at 600 words by the tiny model's context.
 */
public final class LengthBuckets {

  /** A bucket: [min, max) words and its label. */
  public record Bucket(String label, int min, int max) {
    /** Whether {@code length} falls in this bucket. */
    public boolean contains(int length) {
      return length >= min && length < max;
    }
  }

  /** The testbed's buckets (paper / 10). */
  public static final LengthBuckets TESTBED =
      new LengthBuckets(List.of(
          new Bucket("0-50", 0, 50),
          new Bucket("50-200", 50, 200),
          new Bucket("200-400", 200, 400),
          new Bucket("400-600", 400, 601)));

  /** The paper's buckets, for real LongBench-Write prompts. */
  public static final LengthBuckets PAPER =
      new LengthBuckets(List.of(
          new Bucket("0-500", 0, 500),
          new Bucket("500-2k", 500, 2000),
          new Bucket("2k-4k", 2000, 4000),
          new Bucket("4k-20k", 4000, 20001)));

  private final List<Bucket> buckets;

  private LengthBuckets(List<Bucket> buckets) {
    this.buckets = buckets;
  }

  /** The buckets in order. */
  public List<Bucket> buckets() {
    return buckets;
  }

  /** Bucket labels in order. */
  public List<String> labels() {
    return buckets.stream().map(Bucket::label).toList();
  }

  /** The label of the bucket holding {@code length}; the last bucket takes anything longer. */
  public String labelOf(int length) {
    for (Bucket b : buckets) {
      if (b.contains(length)) {
        return b.label();
      }
    }
    return buckets.get(buckets.size() - 1).label();
  }
}
