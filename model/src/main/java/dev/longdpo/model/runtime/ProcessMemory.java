package dev.longdpo.model.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's resident memory, native allocations included (what the heap numbers miss). */
public final class ProcessMemory {

  private ProcessMemory() {}

  /** VmRSS from /proc (Linux), in bytes; NaN where there is none. */
  public static double residentBytes() {
    return statusBytes("VmRSS:");
  }

  /** VmHWM from /proc (Linux): the most this process has held resident so far, in bytes; NaN where there is none. */
  public static double peakResidentBytes() {
    return statusBytes("VmHWM:");
  }

  private static double statusBytes(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
        if (line.startsWith(field)) {
          return Double.parseDouble(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }
}
