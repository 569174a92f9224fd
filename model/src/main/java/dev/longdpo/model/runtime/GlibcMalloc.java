package dev.longdpo.model.runtime;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;
import java.util.Optional;

/**
 * The few glibc malloc calls {@link MallocTuning} needs, bound through JNA (which DJL already
 * brings). Absent where the C library is not glibc (or too old to have {@code mallinfo2}).
 */
public final class GlibcMalloc {

  /** mallopt's parameter for the mmap threshold (malloc.h). */
  private static final int M_MMAP_THRESHOLD = -3;

  /** glibc's upper bound for the threshold on 64-bit machines (HEAP_MAX_SIZE / 2). */
  public static final int MAX_MMAP_THRESHOLD = 32 * 1024 * 1024;

  /** The C functions used. */
  public interface LibC extends Library {
    /** Sets a malloc parameter; 1 on success, 0 on error. */
    int mallopt(int param, int value);

    /** Hands the arenas' free pages back to the system; 1 if any were released. */
    int malloc_trim(long pad);

    /** Allocation statistics of the main arena and the mapped blocks. */
    MallInfo2.ByValue mallinfo2();

    /** Allocates raw memory (tests). */
    long malloc(long size);

    /** Frees what {@link #malloc} returned (tests). */
    void free(long pointer);
  }

  /** glibc's {@code struct mallinfo2}: ten {@code size_t} counters. */
  @Structure.FieldOrder({
      "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost"})
  public static class MallInfo2 extends Structure {
    public long arena;
    public long ordblks;
    public long smblks;
    /** Blocks mapped on their own (at or above the mmap threshold), live now. */
    public long hblks;
    public long hblkhd;
    public long usmblks;
    public long fsmblks;
    public long uordblks;
    public long fordblks;
    public long keepcost;

    /** Returned by value. */
    public static final class ByValue extends MallInfo2 implements Structure.ByValue {}
  }

  private static final Optional<LibC> LIBC = load();

  private GlibcMalloc() {}

  private static Optional<LibC> load() {
    try {
      LibC c = Native.load("c", LibC.class);
      c.mallinfo2(); // glibc 2.33 or later; fails elsewhere (musl, macOS)
      return Optional.of(c);
    } catch (LinkageError | RuntimeException notGlibc) {
      return Optional.empty();
    }
  }

  /** The bound C library, when this process runs on glibc. */
  public static Optional<LibC> libc() {
    return LIBC;
  }

  /** Sets the mmap threshold (fixed from then on: glibc's adaptive threshold is switched off). */
  static boolean setMmapThreshold(int bytes) {
    return LIBC.map(c -> c.mallopt(M_MMAP_THRESHOLD, bytes) == 1).orElse(false);
  }

  /** Hands the arenas' free pages back to the system. */
  static void trim() {
    LIBC.ifPresent(c -> c.malloc_trim(0));
  }
}
