package dev.longdpo.cli;

import dev.longdpo.testbed.pretrain.PretrainListener;
import java.io.PrintWriter;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars on standard error: Unicode blocks on a terminal, plain ASCII lines otherwise (a CI
 * log, a pipe). One bar per phase; info lines go to the command's error writer.
 */
public final class Progress implements PretrainListener, AutoCloseable {

  private final PrintWriter err;
  private ProgressBar bar;

  /** Progress for a command whose messages go to {@code err}. */
  public Progress(PrintWriter err) {
    this.err = err;
  }

  @Override
  public synchronized void phase(String name, long total) {
    close();
    bar =
        new ProgressBarBuilder()
            .setTaskName(name)
            .setInitialMax(total)
            .setStyle(System.console() == null ? ProgressBarStyle.ASCII : ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
            .setConsumer(new ConsoleProgressBarConsumer(System.err))
            .setUpdateIntervalMillis(System.console() == null ? 5000 : 250)
            .continuousUpdate()
            .build();
  }

  @Override
  public synchronized void progress(long done, String detail) {
    if (bar != null) {
      bar.stepTo(done);
      bar.setExtraMessage(detail);
    }
  }

  @Override
  public synchronized void info(String line) {
    err.println(line);
    err.flush();
  }

  @Override
  public synchronized void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
