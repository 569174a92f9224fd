package dev.longdpo.coordinator.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.longdpo.actors.backend.ModelAnswerSampler;
import dev.longdpo.actors.backend.ModelPromptEncoder;
import dev.longdpo.actors.backend.TaskSpecs;
import dev.longdpo.actors.backend.TestbedJudge;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.generate.PrefixState;
import dev.longdpo.model.generate.ScoreRequest;
import dev.longdpo.protocol.pairs.PreferencePair;
import dev.longdpo.testbed.TestbedModels;
import dev.longdpo.testbed.judge.AnswerJudge;
import dev.longdpo.testbed.judge.LengthTerm;
import dev.longdpo.testbed.task.TaskGenerator;
import dev.longdpo.testbed.task.WritingTask;
import dev.longdpo.protocol.text.Words;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Outcome pairs: best against worst whole answer, judged as wholes, with exact reference log-probs. */
class OutcomePairsTest {

  private static OutcomePairs outcomePairs(LanguageModel base, OutcomeSettings s) {
    return new OutcomePairs(new ModelPromptEncoder(base), new ModelAnswerSampler(base), new TestbedJudge(), s);
  }

  @Test
  void pairsTheBestAndWorstWholeAnswerWithTheirReferenceLogProbs() {
    List<WritingTask> tasks = new TaskGenerator(3).generate(4, 1);
    try (LanguageModel base = TestbedModels.tiny(4, false)) {
      OutcomeSettings s = new OutcomeSettings(4, 1.0, 1.0, 1.5, 8, 9);
      List<PreferencePair> pairs = outcomePairs(base, s).build("dpo", tasks.stream().map(TaskSpecs::of).toList(), n -> {});
      assertThat(pairs).isNotEmpty().hasSizeLessThanOrEqualTo(tasks.size());
      for (PreferencePair p : pairs) {
        WritingTask t = tasks.stream().filter(x -> x.id().equals(p.promptId())).findFirst().orElseThrow();
        assertThat(p.depth()).isZero();
        assertThat(p.prefixTokens()).containsExactly(base.encodePrompt(t.modelInput()));
        assertThat(p.chosen().score().value()).isGreaterThan(p.rejected().score().value());
        // The value is the whole answer's quality (1-5) plus its S_l / 10.
        String answer = p.chosen().text().strip();
        double quality = new AnswerJudge().score(t, answer).values().stream().mapToDouble(Double::doubleValue).average()
            .orElseThrow();
        assertThat(p.chosen().score().value())
            .isCloseTo(quality + LengthTerm.sl(t.length(), Words.count(answer)) / 10, within(1e-9));
        PrefixState prefix = base.prefix(p.prefixTokens());
        var scores = base.score(List.of(new ScoreRequest(prefix, p.chosen().tokens()),
            new ScoreRequest(prefix, p.rejected().tokens())));
        prefix.close();
        assertThat(p.chosen().refLogProb()).isCloseTo(scores.get(0).sum(), within(1e-3));
        assertThat(p.rejected().refLogProb()).isCloseTo(scores.get(1).sum(), within(1e-3));
      }
      // Same seed, same pairs.
      List<PreferencePair> again = outcomePairs(base, s).build("dpo", tasks.stream().map(TaskSpecs::of).toList(), n -> {});
      assertThat(again).isEqualTo(pairs);
    }
  }
}
