package dev.longdpo.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Test resources found on the classpath (never by a path relative to the working directory). */
public final class TestResources {

  private TestResources() {}

  /**
   * A test resource as a file: copied out of the classpath into a temporary file, so it works
   * whether the resources sit in a directory or a jar.
   *
   * @param name absolute resource name, e.g. {@code /longbench_write_en.jsonl}
   */
  public static Path path(String name) {
    try (InputStream in = TestResources.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + name + " on the classpath");
      }
      String file = name.substring(name.lastIndexOf('/') + 1);
      Path tmp = Files.createTempFile("longdpo-test-", "-" + file);
      tmp.toFile().deleteOnExit();
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      return tmp;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
