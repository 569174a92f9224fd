package dev.longdpo.cli.ctl;

import dev.longdpo.cli.ExitCodes;
import dev.longdpo.protocol.control.ExportChunk;
import dev.longdpo.protocol.control.ExportRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Iterator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ctl export RUN --format F --output FILE}: a run's pairs, written here atomically. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export a run's pairs as JSONL (as `longdpo export`: trl or longdpo), streamed from the node and "
        + "written to --output atomically.")
final class CtlExport extends CtlVerb {

  @Parameters(paramLabel = "RUN", description = "The run id.")
  String runId;

  @Option(names = "--format", required = true, paramLabel = "<trl|longdpo>", description = "Output format.")
  String format;

  @Option(names = "--output", required = true, paramLabel = "<file>", description = "Where the JSONL goes.")
  Path output;

  @Option(names = "--final-only", description = "Only pairs whose chosen step ends the answer.")
  boolean finalOnly;

  @Override
  int run(CtlClient client, PrintWriter out, PrintWriter err) throws CtlException {
    // The export can be large: the stream has no per-call deadline beyond the channel's.
    Iterator<ExportChunk> chunks = client.stream().export(ExportRequest.newBuilder().setRunId(runId).setFormat(format)
        .setFinalOnly(finalOnly).build());
    int pairs = 0;
    Path target = output.toAbsolutePath();
    Path tmp = null;
    try {
      Files.createDirectories(target.getParent());
      tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
      // Bytes as they come (a chunk may end inside a character); renamed into place when complete.
      try (OutputStream o = Files.newOutputStream(tmp)) {
        while (chunks.hasNext()) {
          ExportChunk c = chunks.next();
          pairs = Math.max(pairs, c.getPairs());
          c.getData().writeTo(o);
        }
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      tmp = null;
    } catch (IOException e) {
      throw new CtlException(ExitCodes.BAD_INPUT, output + ": cannot be written (" + e.getMessage() + ")");
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // nothing more to do
        }
      }
    }
    err.println("wrote " + pairs + " pairs of run " + runId + " to " + output);
    return ok();
  }
}
