package dev.longdpo.cli.node;

import dev.longdpo.cli.CommandLineFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Waiting on a cluster for conditions a driver (a test, a benchmark) controls: a hook's marker
 * file, a membership size. Each polls the condition with a deadline; no timing decides an outcome.
 */
public final class ClusterWaits {

  private ClusterWaits() {}

  /** Waits until {@code file} exists (a hooked node writes it when it holds). */
  public static void awaitFile(Path file, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!Files.exists(file)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(file + " did not appear within " + timeout);
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  /** Waits until the node at {@code control} sees {@code count} members (a downed one removed). */
  public static void awaitMembers(String control, int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      StringWriter out = new StringWriter();
      CommandLineFactory.create(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true))
          .execute("ctl", "--endpoint", control, "nodes");
      if (out.toString().strip().lines().count() == count) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the cluster did not reach " + count + " members within " + timeout + ":\n" + out);
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }
}
