package dev.longdpo.testbed.pretrain;

import java.io.PrintStream;
import java.util.Optional;

/**
 * A {@link PretrainListener}'s events as lines of text: how a pretraining JVM tells the process that
 * started it what it is doing ({@link PretrainJvm}). Each line is {@link #PREFIX}, a kind and its
 * fields separated by tabs; tabs, newlines and backslashes in the text are escaped, so one event is
 * always one line. Lines without the prefix are someone else's output (a library's warning).
 */
final class ProgressLines {

  /** What starts each event line. */
  static final String PREFIX = "@longdpo-pretrain\t";

  private ProgressLines() {}

  /** A listener that writes each event to {@code out} as one line. */
  static PretrainListener writer(PrintStream out) {
    return new PretrainListener() {
      @Override
      public void phase(String name, long total) {
        emit("phase", name, Long.toString(total));
      }

      @Override
      public void progress(long done, String detail) {
        emit("progress", Long.toString(done), detail);
      }

      @Override
      public void info(String line) {
        emit("info", line);
      }

      private void emit(String kind, String... fields) {
        StringBuilder b = new StringBuilder(PREFIX).append(kind);
        for (String f : fields) {
          b.append('\t').append(escape(f));
        }
        synchronized (out) {
          out.println(b);
          out.flush();
        }
      }
    };
  }

  /** A line the child writes when it fails: the reason, for the parent's error. */
  static String failure(String reason) {
    return PREFIX + "failed\t" + escape(reason);
  }

  /**
   * Hands an event line to {@code listener}. Returns the failure reason if the line reports one;
   * empty for every other event.
   *
   * @throws IllegalArgumentException if the line has the prefix but is not an event this class writes
   */
  static Optional<String> dispatch(String line, PretrainListener listener) {
    if (!line.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a progress line: " + line);
    }
    String[] f = line.substring(PREFIX.length()).split("\t", -1);
    try {
      switch (f[0]) {
        case "phase" -> listener.phase(unescape(f[1]), Long.parseLong(f[2]));
        case "progress" -> listener.progress(Long.parseLong(f[1]), unescape(f[2]));
        case "info" -> listener.info(unescape(f[1]));
        case "failed" -> {
          return Optional.of(unescape(f[1]));
        }
        default -> throw new IllegalArgumentException("unknown progress event '" + f[0] + "' in: " + line);
      }
    } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
      throw new IllegalArgumentException("malformed progress line: " + line, e);
    }
    return Optional.empty();
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\t' -> b.append("\\t");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  static String unescape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 == s.length()) {
        b.append(c);
        continue;
      }
      char n = s.charAt(++i);
      b.append(switch (n) {
        case 't' -> '\t';
        case 'n' -> '\n';
        case 'r' -> '\r';
        default -> n;
      });
    }
    return b.toString();
  }
}
