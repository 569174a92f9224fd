package dev.longdpo.coordinator.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longdpo.protocol.pairs.PairStep;
import dev.longdpo.protocol.pairs.PreferencePair;
import dev.longdpo.protocol.search.StepScore;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class PairExporterTest {

  static PreferencePair pair(int depth, boolean chosenEnds, boolean rejectedEnds) {
    StepScore s = new StepScore(List.of(4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0), 5, 4, 9);
    return new PreferencePair("r/p/" + depth, "r", "p", depth, "Write.", "[INST] Write. [/INST] Earlier.\n\n",
        new int[] {1, 2}, new PairStep(" Good.", new int[] {3}, chosenEnds, s, -1, 9),
        new PairStep(" Bad.\n\n", new int[] {4}, rejectedEnds, s, -2, 7), false, 0, false, 2);
  }

  static List<JsonNode> export(ExportFormat f, boolean finalOnly, List<PreferencePair> pairs) throws Exception {
    StringWriter w = new StringWriter();
    new PairExporter(f, finalOnly, "</s>", promptId -> promptId.equals("p") ? 7 : -1).write(pairs, w);
    ObjectMapper m = new ObjectMapper();
    return w.toString().lines().map(l -> {
      try {
        return m.readTree(l);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).toList();
  }

  @Test
  void longdpoClosesOnlyAnswerEndingCompletions() throws Exception {
    List<JsonNode> out = export(ExportFormat.LONGDPO, false, List.of(pair(1, false, false), pair(2, true, false)));
    assertThat(out.get(0).get("chosen").asText()).isEqualTo(" Good.");
    assertThat(out.get(0).get("answer_role").asText()).isEqualTo("added_assistant");
    assertThat(out.get(1).get("chosen").asText()).isEqualTo(" Good.</s>");
    assertThat(out.get(1).get("rejected").asText()).isEqualTo(" Bad.\n\n");
    assertThat(out.get(1).get("answer_role").asText()).isEqualTo("assistant");
    assertThat(out.get(1).get("instruction").asText()).isEqualTo("[INST] Write. [/INST] Earlier.\n\n");
    assertThat(out.get(1).get("group_id").isInt()).isTrue();
    assertThat(out.get(1).get("group_id").asInt()).isEqualTo(7);
    assertThat(out.get(1).get("depth").asInt()).isEqualTo(2);
  }

  @Test
  void trlLeavesTheEndToTrlAndFinalOnlyKeepsAnswerEndingPairs() throws Exception {
    List<JsonNode> all = export(ExportFormat.TRL, false, List.of(pair(1, false, false), pair(2, true, true)));
    assertThat(all).hasSize(2);
    assertThat(all.get(1).get("chosen").asText()).isEqualTo(" Good.");
    assertThat(all.get(1).has("prompt")).isTrue();
    List<JsonNode> finals = export(ExportFormat.TRL, true, List.of(pair(1, false, false), pair(2, true, true)));
    assertThat(finals).hasSize(1);
    assertThat(finals.get(0).get("depth").asInt()).isEqualTo(2);
  }
}
