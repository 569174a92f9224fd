package dev.longdpo.cli.node;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Key stores for tests, made with the JDK's keytool as the README tells users to. */
public final class TestKeyStores {

  private TestKeyStores() {}

  /** A PKCS12 key store at {@code file} with a self-signed EC key pair for CN={@code name}. */
  public static Path generate(Path file, String name, String password) throws IOException, InterruptedException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", name, "-keyalg", "EC",
        "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-dname", "CN=" + name, "-validity", "2",
        "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", password, "-keypass", password))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool failed: " + out);
    }
    return file;
  }
}
