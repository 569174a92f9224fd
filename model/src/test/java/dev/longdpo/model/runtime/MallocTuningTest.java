package dev.longdpo.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The mmap threshold really moves, seen in glibc's own count of blocks mapped on their own: an
 * 8 MB block is mapped under the launcher's 4 MB threshold, not while pretraining raises it to 16 MB,
 * and is mapped again once the outermost raise is over.
 */
class MallocTuningTest {

  private static final int FOUR_MB = 4 << 20;
  private static final Optional<Integer> LAUNCHED = Optional.of(FOUR_MB);
  private static final int BLOCK = 8 << 20;

  /**
   * The tests fix the threshold of the JVM they share with this module's other tests, which glibc's
   * adaptive threshold served before: leave it at the value that adaptive one climbs to, not at 4 MB,
   * under which their training steps would map every large array afresh.
   */
  @AfterAll
  static void leaveTheSharedJvmNearGlibcsDefault() {
    GlibcMalloc.setMmapThreshold(GlibcMalloc.MAX_MMAP_THRESHOLD);
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

    List<Boolean> mapped = new ArrayList<>();
    MallocTuning.withThreshold(LAUNCHED, MallocTuning.TRAINING_THRESHOLD, () -> {
      mapped.add(blockIsMapped());
      // A nested raise: its end must not lower the threshold the outer one still needs.
      MallocTuning.withThreshold(LAUNCHED, MallocTuning.TRAINING_THRESHOLD, () -> mapped.add(blockIsMapped()));
      mapped.add(blockIsMapped());
    });
    assertEquals(List.of(false, false, false), mapped, "raised to 16 MB, 8 MB blocks come from the arena");
    assertTrue(blockIsMapped(), "back at the launcher's 4 MB afterwards");
  }

  @Test
  void putsTheThresholdBackWhenTheWorkFails() {
    assumeTrue(GlibcMalloc.libc().isPresent(), "not glibc");
    assertTrue(GlibcMalloc.setMmapThreshold(FOUR_MB));
    try {
      MallocTuning.withThreshold(LAUNCHED, MallocTuning.TRAINING_THRESHOLD, () -> {
        throw new java.io.IOException("a step failed");
      });
    } catch (java.io.IOException expected) {
      // the threshold is checked below
    }
    assertTrue(blockIsMapped(), "back at 4 MB after a failed step");
  }

  @Test
  void leavesAProcessStartedWithoutTheVariableAlone() {
    assumeTrue(GlibcMalloc.libc().isPresent(), "not glibc");
    assertTrue(GlibcMalloc.setMmapThreshold(FOUR_MB));
    List<Boolean> mapped = new ArrayList<>();
    MallocTuning.withThreshold(Optional.empty(), MallocTuning.TRAINING_THRESHOLD, () -> mapped.add(blockIsMapped()));
    assertEquals(List.of(true), mapped, "no starting threshold in the environment: nothing to raise");
  }

  @Test
  void readsTheStartingThresholdFromTheEnvironmentsValue() {
    assertEquals(LAUNCHED, MallocTuning.startingThreshold("4194304"));
    assertEquals(LAUNCHED, MallocTuning.startingThreshold(" 4194304 "));
    assertEquals(Optional.empty(), MallocTuning.startingThreshold(null));
    assertEquals(Optional.empty(), MallocTuning.startingThreshold(""));
    assertEquals(Optional.empty(), MallocTuning.startingThreshold("4M"));
    assertEquals(Optional.empty(), MallocTuning.startingThreshold("0"));
    assertFalse(MallocTuning.startingThreshold("1099511627776").isPresent());
  }
}
