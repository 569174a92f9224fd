package dev.longdpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longdpo.cli.node.ClusterWaits;
import dev.longdpo.cli.node.NodeProcess;
import dev.longdpo.cli.node.TestKeyStores;
import dev.longdpo.testbed.task.TaskFile;
import dev.longdpo.testbed.task.TaskGenerator;
import java.io.IOException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster over TLS: two node JVMs sharing a key store (generated with keytool) form a cluster
 * over Artery's tls-tcp transport and search a run; a node without TLS and a node whose key the
 * cluster does not trust cannot join.
 */
class TlsClusterIT {

  private static final Duration UP = Duration.ofSeconds(90);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @RegisterExtension
  final NodeJvms nodes = new NodeJvms();

  @Test
  void nodesWithTheClustersKeyJoinOthersDoNot() throws Exception {
    Path root = dir.resolve("root");
    Path password = Files.writeString(dir.resolve("password"), "a-password-for-tests\n");
    Path store = TestKeyStores.generate(dir.resolve("cluster.p12"), "longdpo-cluster", "a-password-for-tests");
    Path stranger = TestKeyStores.generate(dir.resolve("stranger.p12"), "stranger", "a-password-for-tests");
    String[] tls = {"--tls-key-store", store.toString(), "--tls-password-file", password.toString()};

    NodeProcess n1 = start("n1", root, "coordinator,search", null, tls);
    String seed = "127.0.0.1:" + n1.awaitUp(UP).clusterPort();
    NodeProcess n2 = start("n2", root, "search", seed, tls);
    String control = n1.awaitUp(UP).control();
    n2.awaitUp(UP);
    ClusterWaits.awaitMembers(control, 2, UP);
    assertThat(serverCertificate(n1.awaitUp(UP).clusterPort())).as("the certificate n1's cluster port shows")
        .isEqualTo(certificate(store));

    Path prompts = dir.resolve("prompts.jsonl");
    TaskFile.write(prompts, new TaskGenerator(3).generateMix(new int[] {2, 2, 0, 0}, 0));
    CliRunner.Result submitted = CliRunner.run("ctl", "--endpoint", control, "submit", "--testing-policy", "--id", "tls",
        "--prompts", prompts.toString());
    assertThat(submitted.exitCode()).as(submitted.err()).isZero();
    CliRunner.Result waited = CliRunner.run("ctl", "--endpoint", control, "wait", "--timeout", "120s", "tls");
    assertThat(waited.exitCode()).as(waited.err()).isZero();

    // Neither a plain node nor one with a key the cluster does not trust becomes a member.
    String[] shortJoin = {"--set", "longdpo.node.join-timeout=10s"};
    NodeProcess plain = start("plain", root, "search", seed, shortJoin);
    NodeProcess untrusted = start("untrusted", root, "search", seed, "--tls-key-store", stranger.toString(),
        "--tls-password-file", password.toString(), shortJoin[0], shortJoin[1]);
    for (NodeProcess p : List.of(plain, untrusted)) {
      assertThat(p.process().waitFor(60, TimeUnit.SECONDS)).as("%s gives up", p.output()).isTrue();
      assertThat(p.process().exitValue()).isEqualTo(ExitCodes.FAILURE);
      assertThat(Files.readString(p.output())).contains("did not become Up");
    }
    ClusterWaits.awaitMembers(control, 2, UP);
  }

  /** The certificate a TLS server on {@code port} presents (the handshake itself may then fail). */
  private static X509Certificate serverCertificate(int port) throws Exception {
    X509Certificate[] seen = new X509Certificate[1];
    X509TrustManager recorder = new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {
        seen[0] = chain[0];
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    SSLContext ctx = SSLContext.getInstance("TLSv1.3");
    ctx.init(null, new TrustManager[] {recorder}, null);
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.startHandshake(); // the server asks for a client certificate this client does not have
      s.getInputStream().read();
    } catch (IOException expected) {
      // refused after the server's certificate was seen
    }
    assertThat(seen[0]).as("a TLS server on port %d", port).isNotNull();
    return seen[0];
  }

  private static X509Certificate certificate(Path store) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(store)) {
      ks.load(in, "a-password-for-tests".toCharArray());
    }
    return (X509Certificate) ks.getCertificate(ks.aliases().nextElement());
  }

  private NodeProcess start(String name, Path root, String roles, String seed, String... extra) throws IOException {
    return nodes.start(dir, name, "384m", root, roles, seed, extra);
  }
}
