package dev.longdpo.protocol;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The message types a module declares: the concrete classes of its compiled output (a directory
 * when the module's own tests run, a jar otherwise) that implement {@link WireMessage} or {@link
 * KryoMessage}. Found by listing class files rather than by a list kept by hand, which is what
 * would go stale. Each module's serialization test compares them with the types it round-trips.
 */
public final class MessageTypes {

  private MessageTypes() {}

  /**
   * @param anchor any class of the module to scan (locates its compiled output)
   * @param packagePath the package to scan, as a path ({@code dev/longdpo/protocol})
   */
  public static Set<String> of(Class<?> anchor, String packagePath)
      throws IOException, URISyntaxException, ClassNotFoundException {
    Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    Set<String> out = new TreeSet<>();
    try (FileSystem jar = Files.isDirectory(location) ? null : FileSystems.newFileSystem(location)) {
      Path root = jar == null ? location : jar.getPath("/");
      try (Stream<Path> files = Files.walk(root.resolve(packagePath))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
          String relative = root.relativize(f).toString().replace('\\', '/');
          String name = relative.substring(0, relative.length() - ".class".length()).replace('/', '.');
          if (name.endsWith("package-info")) {
            continue;
          }
          // Not initialized: only the type's shape is needed.
          Class<?> c = Class.forName(name, false, anchor.getClassLoader());
          boolean message = WireMessage.class.isAssignableFrom(c) || KryoMessage.class.isAssignableFrom(c);
          // An enum whose constants have bodies is abstract but still a message type; the bodies
          // themselves are anonymous classes and stand for their enum.
          boolean concrete = c.isEnum() || !c.isInterface() && !Modifier.isAbstract(c.getModifiers());
          if (message && concrete && !c.isAnonymousClass() && !c.isSynthetic()) {
            out.add(c.getName());
          }
        }
      }
    }
    return out;
  }
}
