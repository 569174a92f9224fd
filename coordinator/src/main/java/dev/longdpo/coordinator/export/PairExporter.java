package dev.longdpo.coordinator.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longdpo.coordinator.run.RunDirectory;
import dev.longdpo.protocol.pairs.PreferencePair;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Writes pairs as JSONL for other trainers, handling the end of sequence as method.md §5 explains:
 * an intermediate step must stay open (the answer goes on), only an answer-ending step is closed.
 *
 * <ul>
 *   <li>{@link ExportFormat#LONGDPO}: a completion gets the end marker (e.g. {@code </s>}) only
 *       where it ends the answer; {@code answer_role} is {@code assistant} for a pair whose chosen
 *       step ends the answer and {@code added_assistant} otherwise; {@code group_id} is an
 *       integer per prompt, as the official trainer groups by it (the run's {@code group_ids.tsv}).
 *   <li>{@link ExportFormat#TRL}: completions are written without a marker, because TRL's
 *       tokenization appends EOS to every completion. That is right for answer-ending steps only,
 *       so {@code finalOnly} restricts the export to pairs whose chosen step ends the answer;
 *       exporting intermediate steps needs a collator that leaves them open (see the README).
 * </ul>
 */
public final class PairExporter {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ExportFormat format;
  private final boolean finalOnly;
  private final String endMarker;
  private final ToIntFunction<String> groupIds;

  /**
   * @param endMarker text appended to answer-ending completions in the LongDPO format
   * @param groupIds a prompt id's integer group id, for the LongDPO format
   */
  public PairExporter(ExportFormat format, boolean finalOnly, String endMarker, ToIntFunction<String> groupIds) {
    this.format = format;
    this.finalOnly = finalOnly;
    this.endMarker = endMarker;
    this.groupIds = groupIds;
  }

  /**
   * An exporter of a run's pairs; the LongDPO format reads the run's group ids (TRL's {@code
   * group_id} is the prompt id itself, and needs nothing from the run but its pairs).
   */
  public static PairExporter forRun(ExportFormat format, boolean finalOnly, String endMarker, RunDirectory run)
      throws IOException {
    ToIntFunction<String> ids = format == ExportFormat.LONGDPO ? run.groupIds()::of : promptId -> {
      throw new IllegalStateException("the TRL format writes prompt ids");
    };
    return new PairExporter(format, finalOnly, endMarker, ids);
  }

  /**
   * Writes the pairs, one JSON object per line.
   *
   * @return the number of pairs written
   */
  public int write(List<PreferencePair> pairs, Writer out) throws IOException {
    int n = 0;
    for (PreferencePair p : pairs) {
      if (finalOnly && !p.chosen().endsAnswer()) {
        continue;
      }
      out.write(JSON.writeValueAsString(line(p)));
      out.write('\n');
      n++;
    }
    out.flush();
    return n;
  }

  ObjectNode line(PreferencePair p) {
    ObjectNode o = JSON.createObjectNode();
    if (format == ExportFormat.TRL) {
      o.put("prompt", p.prefixText());
      o.put("chosen", p.chosen().text());
      o.put("rejected", p.rejected().text());
      o.put("group_id", p.promptId());
      o.put("depth", p.depth());
    } else {
      o.put("instruction", p.prefixText());
      o.put("chosen", closed(p.chosen().text(), p.chosen().endsAnswer()));
      o.put("rejected", closed(p.rejected().text(), p.rejected().endsAnswer()));
      o.put("group_id", groupIds.applyAsInt(p.promptId()));
      o.put("depth", p.depth());
      o.put("answer_role", p.chosen().endsAnswer() ? "assistant" : "added_assistant");
      o.put("prompt_role", "added_user");
    }
    return o;
  }

  private String closed(String text, boolean endsAnswer) {
    return endsAnswer ? text + endMarker : text;
  }
}
