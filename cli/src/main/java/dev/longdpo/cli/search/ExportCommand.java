package dev.longdpo.cli.search;

import dev.longdpo.cli.BadInputException;
import dev.longdpo.cli.ExitCodes;
import dev.longdpo.coordinator.export.ExportFormat;
import dev.longdpo.coordinator.export.PairExporter;
import dev.longdpo.coordinator.run.PairLog;
import dev.longdpo.coordinator.run.RunDirectory;
import dev.longdpo.config.files.AtomicFile;
import dev.longdpo.protocol.pairs.PreferencePair;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Writes a run's pairs as JSONL for TRL or the official LongDPO trainer. */
@Command(
    mixinStandardHelpOptions = true,
    name = "export",
    description = {
      "Export a run's pairs as JSONL: trl (prompt, chosen, rejected, group_id, depth) or longdpo",
      "(instruction, chosen, rejected, group_id, depth, answer_role; its group_id is an integer per",
      "prompt, mapped in the run's group_ids.tsv). An intermediate step stays",
      "open; only an answer-ending step gets the end marker (longdpo) or TRL's EOS (--final-only)."
    })
public final class ExportCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--format", required = true, paramLabel = "<trl|longdpo>", description = "Output format.")
  String format;

  @Parameters(index = "0", paramLabel = "<run-dir>", description = "A search run directory.")
  Path runDir;

  @Option(names = "--output", paramLabel = "<file>", description = "Write here (atomically) instead of standard output.")
  Path output;

  @Option(names = "--final-only", description = "Only pairs whose chosen step ends the answer (for TRL, which closes every completion).")
  boolean finalOnly;

  @Option(names = "--end-marker", defaultValue = "</s>", paramLabel = "<text>",
      description = "Text closing an answer-ending completion in the longdpo format (default ${DEFAULT-VALUE}).")
  String endMarker;

  @Override
  public Integer call() throws Exception {
    ExportFormat f;
    try {
      f = ExportFormat.valueOf(format.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--format: '" + format + "' is not trl or longdpo");
    }
    RunDirectory dir = RunDirectory.existing(runDir);
    PairLog.Contents contents = PairLog.readOnly(dir.pairLog());
    for (PairLog.Damage d : contents.damage()) {
      if (d.kind() == PairLog.Damage.Kind.UNVERIFIABLE) {
        throw new BadInputException(dir.pairLog() + ": " + d.describe());
      }
      spec.commandLine().getErr().println(dir.pairLog() + ": skipped " + d.describe());
    }
    List<PreferencePair> pairs = contents.pairs();
    PairExporter exporter = PairExporter.forRun(f, finalOnly, endMarker, dir);
    if (output == null) {
      Writer w = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
      exporter.write(pairs, w);
      return ExitCodes.OK;
    }
    int[] n = new int[1];
    AtomicFile.write(output, w -> n[0] = exporter.write(pairs, w));
    spec.commandLine().getErr().println("wrote " + n[0] + " pairs to " + output);
    return ExitCodes.OK;
  }
}
