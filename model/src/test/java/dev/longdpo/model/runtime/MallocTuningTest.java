package dev.longdpo.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The mmap threshold really moves, seen in glibc's own count of blocks mapped on their own: an
 * 8 MB block is mapped under the launcher's 4 MB threshold, not while the threshold is raised to
 * 32 MB, and is mapped again once the work is done.
 */
class MallocTuningTest {

  private static final int FOUR_MB = 4 << 20;
  private static final int BLOCK = 8 << 20;

  @AfterAll
  static void leaveTheLaunchersThreshold() {
    GlibcMalloc.setMmapThreshold(FOUR_MB);
  }

  /** Whether an 8 MB block allocated now is mapped on its own. */
  private static boolean blockIsMapped() {
    GlibcMalloc.LibC c = GlibcMalloc.libc().orElseThrow();
    long before = c.mallinfo2().hblks;
    long p = c.malloc(BLOCK);
    try {
      return c.mallinfo2().hblks == before + 1;
    } finally {
      c.free(p);
    }
  }

  @Test
  void raisesTheThresholdForTheWorkAndPutsTheLaunchersBack() {
    assumeTrue(GlibcMalloc.libc().isPresent(), "not glibc");
    assertTrue(GlibcMalloc.setMmapThreshold(FOUR_MB));
    assertTrue(blockIsMapped(), "under 4 MB an 8 MB block is mapped");

    AtomicLong mappedDuring = new AtomicLong(-1);
    MallocTuning.withMmapThreshold(Integer.toString(FOUR_MB), 32 << 20,
        () -> mappedDuring.set(blockIsMapped() ? 1 : 0));
    assertEquals(0, mappedDuring.get(), "raised to 32 MB, an 8 MB block comes from the arena");
    assertTrue(blockIsMapped(), "back at the launcher's 4 MB afterwards");
  }

  @Test
  void leavesAProcessStartedWithoutTheVariableAlone() {
    assumeTrue(GlibcMalloc.libc().isPresent(), "not glibc");
    assertTrue(GlibcMalloc.setMmapThreshold(FOUR_MB));
    AtomicLong mappedDuring = new AtomicLong(-1);
    MallocTuning.withMmapThreshold(null, 32 << 20, () -> mappedDuring.set(blockIsMapped() ? 1 : 0));
    assertEquals(1, mappedDuring.get(), "no starting threshold in the environment: nothing to raise");
  }

  @Test
  void readsTheStartingThresholdFromTheEnvironmentsValue() {
    assertEquals(Optional.of(FOUR_MB), MallocTuning.startingThreshold("4194304"));
    assertEquals(Optional.of(FOUR_MB), MallocTuning.startingThreshold(" 4194304 "));
    assertEquals(Optional.empty(), MallocTuning.startingThreshold(null));
    assertEquals(Optional.empty(), MallocTuning.startingThreshold(""));
    assertEquals(Optional.empty(), MallocTuning.startingThreshold("4M"));
    assertEquals(Optional.empty(), MallocTuning.startingThreshold("0"));
    assertEquals(Optional.empty(), MallocTuning.startingThreshold("1099511627776"));
  }
}
