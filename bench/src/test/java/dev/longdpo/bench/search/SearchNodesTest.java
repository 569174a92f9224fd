package dev.longdpo.bench.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.longdpo.actors.backend.ModelPolicy;
import dev.longdpo.actors.backend.ModelPromptEncoder;
import dev.longdpo.actors.backend.Policy;
import dev.longdpo.actors.backend.TestbedJudge;
import dev.longdpo.coordinator.run.PairLog;
import dev.longdpo.coordinator.search.SearchSettings;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.protocol.pairs.PairStep;
import dev.longdpo.protocol.pairs.PreferencePair;
import dev.longdpo.protocol.search.StepDecoding;
import dev.longdpo.testbed.task.TaskGenerator;
import dev.longdpo.testbed.task.WritingTask;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search host can run several search nodes (longdpo.actors.search-nodes), each with its own model
 * copy and decoding thread, the run's trees spread over them: a tree's pairs must not depend on
 * which node expanded it, or on how many there were. Their tokens, texts and scores are compared
 * exactly; the log-probs the sampling pass gives them move in their last bits with the batch a row
 * was decoded in, between any two runs (DemoJobIT allows the same), so they are compared within 1e-5.
 */
class SearchNodesTest {

  @TempDir Path dir;

  @Test
  void thePairsAreTheSameWithOneSearchNodeOrTwo() throws Exception {
    List<WritingTask> tasks = new TaskGenerator(3).generate(24, 0).stream().filter(t -> t.length() < 200)
        .limit(6).toList();
    SearchSettings base = SearchSettings.create(SearchFixtures.config());
    SearchSettings settings = new SearchSettings(2, 3, base.cBase(), base.cInit(), new StepDecoding(1.0, 1.0, 16),
        base.wordsPerStep(), 0.5, 0, base.rejected(), false, 2.5, 3, true, 1, 6, base.seed(), base.askTimeout(), 0);
    Map<String, PreferencePair> one = pairs(1, tasks, settings);
    Map<String, PreferencePair> two = pairs(2, tasks, settings);
    assertThat(one).isNotEmpty();
    assertThat(two.keySet()).isEqualTo(one.keySet());
    one.forEach((id, p) -> {
      PreferencePair q = two.get(id);
      assertThat(q.prefixTokens()).as(id).isEqualTo(p.prefixTokens());
      assertSameStep(id + " chosen", q.chosen(), p.chosen());
      assertSameStep(id + " rejected", q.rejected(), p.rejected());
    });
  }

  private static void assertSameStep(String what, PairStep actual, PairStep expected) {
    assertThat(actual.tokens()).as(what).isEqualTo(expected.tokens());
    assertThat(actual.text()).as(what).isEqualTo(expected.text());
    assertThat(actual.score()).as(what).isEqualTo(expected.score());
    assertThat(actual.refLogProb()).as(what).isCloseTo(expected.refLogProb(), within(1e-5 * Math.abs(expected.refLogProb())));
  }

  private Map<String, PreferencePair> pairs(int nodes, List<WritingTask> tasks, SearchSettings settings)
      throws Exception {
    List<LanguageModel> models = new ArrayList<>();
    List<ModelPolicy> policies = new ArrayList<>();
    try {
      List<Supplier<Policy>> suppliers = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        LanguageModel m = SearchFixtures.randomTestbedModel(); // the same weights each time
        models.add(m);
        ModelPolicy p = new ModelPolicy(m, 64L << 20);
        policies.add(p);
        suppliers.add(() -> p);
      }
      Path log = dir.resolve("pairs-" + nodes + ".log");
      SearchFixtures.runActors(suppliers, TestbedJudge::new, tasks, settings,
          SearchFixtures.backends(new ModelPromptEncoder(models.get(0))), log);
      for (ModelPolicy p : policies) {
        assertThat(p.stats().expansions()).as("every search node expanded trees").isPositive();
      }
      Map<String, PreferencePair> out = new TreeMap<>();
      PairLog.readOnly(log).pairs().forEach(p -> out.put(p.pairId(), p));
      return out;
    } finally {
      policies.forEach(ModelPolicy::close);
      models.forEach(LanguageModel::close);
    }
  }
}
