package dev.longdpo.cli.node;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * A node's log file under the run root's {@code nodes/}: everything at INFO and above from
 * longdpo and Pekko's cluster, beside the console's warnings.
 */
final class NodeLog {

  private NodeLog() {}

  /** Logs into {@code <runRoot>/nodes/<name>.log} from now on; returns that file. */
  static Path attach(Path runRoot, String name) throws java.io.IOException {
    Path file = runRoot.resolve("nodes").resolve(name + ".log");
    java.nio.file.Files.createDirectories(file.getParent());
    attach(file);
    return file;
  }

  private static void attach(Path file) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(ctx);
    encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
    encoder.start();
    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setContext(ctx);
    appender.setName("node-file");
    appender.setFile(file.toString());
    appender.setAppend(true);
    appender.setEncoder(encoder);
    appender.start();
    Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.addAppender(appender);
    // The console keeps WARN (its appender filters nothing, so raise the levels that feed the file
    // and leave the console appender's threshold to a filter).
    ch.qos.logback.classic.filter.ThresholdFilter warnOnly = new ch.qos.logback.classic.filter.ThresholdFilter();
    warnOnly.setLevel("WARN");
    warnOnly.start();
    root.iteratorForAppenders().forEachRemaining(a -> {
      if (a != appender) {
        a.addFilter(warnOnly);
      }
    });
    ctx.getLogger("dev.longdpo").setLevel(Level.INFO);
    ctx.getLogger("org.apache.pekko.cluster").setLevel(Level.INFO);
  }
}
