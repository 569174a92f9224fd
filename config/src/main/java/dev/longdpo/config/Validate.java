package dev.longdpo.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Typed reads with validation for settings records. Every failure is a {@link SettingsException}
 * of the form {@code key = value (origin): expected ...}.
 */
public final class Validate {

  private Validate() {}

  /** An integer ≥ 1. */
  public static int positiveInt(Config c, String key) {
    return intInRange(c, key, 1, Integer.MAX_VALUE);
  }

  /** An integer ≥ 0. */
  public static int nonNegativeInt(Config c, String key) {
    return intInRange(c, key, 0, Integer.MAX_VALUE);
  }

  /** An integer in {@code [min, max]}. */
  public static int intInRange(Config c, String key, int min, int max) {
    int v = read(c, key, "an integer", () -> c.getInt(key));
    if (v < min || v > max) {
      throw bad(c, key, "an integer in [" + min + ", " + max + "]");
    }
    return v;
  }

  /** A long ≥ 0. */
  public static long nonNegativeLong(Config c, String key) {
    long v = read(c, key, "an integer", () -> c.getLong(key));
    if (v < 0) {
      throw bad(c, key, "an integer >= 0");
    }
    return v;
  }

  /** A number in {@code [min, max]}. */
  public static double doubleInRange(Config c, String key, double min, double max) {
    double v = read(c, key, "a number", () -> c.getDouble(key));
    if (!(v >= min && v <= max)) {
      throw bad(c, key, "a number in [" + min + ", " + max + "]");
    }
    return v;
  }

  /** A number > 0. */
  public static double positiveDouble(Config c, String key) {
    double v = read(c, key, "a number", () -> c.getDouble(key));
    if (!(v > 0) || Double.isInfinite(v)) {
      throw bad(c, key, "a number > 0");
    }
    return v;
  }

  /** A boolean. */
  public static boolean bool(Config c, String key) {
    return read(c, key, "true or false", () -> c.getBoolean(key));
  }

  /** A non-empty string. */
  public static String nonEmptyString(Config c, String key) {
    String v = read(c, key, "a string", () -> c.getString(key));
    if (v.isBlank()) {
      throw bad(c, key, "a non-empty string");
    }
    return v;
  }

  /** A list of strings. */
  public static List<String> stringList(Config c, String key) {
    return read(c, key, "a list of strings", () -> List.copyOf(c.getStringList(key)));
  }

  /** A duration > 0 ({@code 50ms}, {@code 2s}, ...). */
  public static Duration positiveDuration(Config c, String key) {
    Duration d = read(c, key, "a duration such as 50ms or 2s", () -> c.getDuration(key));
    if (d.isNegative() || d.isZero()) {
      throw bad(c, key, "a duration > 0");
    }
    return d;
  }

  /** A size in bytes ({@code 512MiB}, {@code 64k}, ...), ≥ 0. */
  public static long bytes(Config c, String key) {
    Long v = read(c, key, "a size such as 64MiB", () -> c.getBytes(key));
    if (v < 0) {
      throw bad(c, key, "a size >= 0");
    }
    return v;
  }

  /** A path; a leading {@code ~/} means the user's home. */
  public static Path path(Config c, String key) {
    String v = nonEmptyString(c, key);
    if (v.startsWith("~/")) {
      return Paths.get(System.getProperty("user.home"), v.substring(2));
    }
    return Paths.get(v);
  }

  /** One of an enum's constants, named in lower-case kebab or upper-case snake form. */
  public static <E extends Enum<E>> E oneOf(Config c, String key, Class<E> type) {
    String v = read(c, key, "a string", () -> c.getString(key));
    String normalized = v.trim().replace('-', '_').toUpperCase(Locale.ROOT);
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(normalized)) {
        return e;
      }
    }
    String choices =
        String.join(
            ", ",
            Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .toList());
    throw bad(c, key, "one of " + choices);
  }

  /** Checks a derived condition, reporting it against {@code key}. */
  public static void check(Config c, String key, boolean ok, String expected) {
    if (!ok) {
      throw bad(c, key, expected);
    }
  }

  /** A settings error for {@code key}: its value, origin, and what was expected. */
  public static SettingsException bad(Config c, String key, String expected) {
    String shown;
    String origin = "";
    try {
      ConfigValue v = c.getValue(key);
      shown = v.render();
      origin = v.origin() == null ? "" : " (" + v.origin().description() + ")";
    } catch (ConfigException e) {
      shown = "<missing>";
    }
    return new SettingsException(key, key + " = " + shown + origin + ": expected " + expected);
  }

  private static <T> T read(Config c, String key, String expected, Function0<T> reader) {
    try {
      return reader.get();
    } catch (ConfigException.Missing e) {
      throw new SettingsException(key, key + " is missing: expected " + expected, e);
    } catch (ConfigException e) {
      throw bad(c, key, expected);
    }
  }

  @FunctionalInterface
  private interface Function0<T> {
    T get();
  }
}
