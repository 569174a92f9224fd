package dev.longdpo.coordinator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.longdpo.protocol.pairs.PairStep;
import dev.longdpo.protocol.pairs.PreferencePair;
import dev.longdpo.protocol.pairs.TreeCompleted;
import dev.longdpo.protocol.search.StepScore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairLogTest {

  @TempDir Path dir;

  /** A v1 record: written before pairs carried their prompt's pair count (0). */
  static PreferencePair v1Pair(String prompt, int depth) {
    StepScore s = new StepScore(List.of(4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0), 5, 4, 9);
    return new PreferencePair(PreferencePair.id("r", prompt, depth), "r", prompt, depth, "Write.", "[INST] Write. [/INST]",
        new int[] {1, 2}, new PairStep(" Good.\n\n", new int[] {3}, false, s, -1, 9),
        new PairStep(" Bad.\n\n", new int[] {4}, false, s, -2, 7), false, 0, false, 0);
  }

  @Test
  void aV1LogGetsEachPairsPromptCountFromTheTreeCompletedRecords() throws Exception {
    Path file = dir.resolve("pairs.log");
    try (PairLog log = PairLog.open(file)) {
      log.append(List.of(v1Pair("a", 1), v1Pair("a", 2), v1Pair("b", 1)));
      log.appendCompleted(new TreeCompleted("a", 2, 2, 0, 0, 0, 4, "text", true, 0, 0, 0));
      log.flush();
    }
    // Prompt b never completed (the run stopped): its count stays unknown.
    assertThat(PairLog.readOnly(file).pairs())
        .extracting(PreferencePair::promptId, PreferencePair::promptPairs)
        .containsExactly(tuple("a", 2), tuple("a", 2), tuple("b", 0));
  }
}
