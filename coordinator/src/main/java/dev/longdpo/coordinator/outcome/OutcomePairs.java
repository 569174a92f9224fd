package dev.longdpo.coordinator.outcome;

import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.generate.Generation;
import dev.longdpo.model.generate.GenerationRequest;
import dev.longdpo.model.generate.PrefixState;
import dev.longdpo.model.generate.SamplingParams;
import dev.longdpo.protocol.pairs.PairStep;
import dev.longdpo.protocol.pairs.PreferencePair;
import dev.longdpo.protocol.search.StepScore;
import dev.longdpo.testbed.judge.AnswerJudge;
import dev.longdpo.testbed.judge.LengthTerm;
import dev.longdpo.testbed.judge.QualityDimension;
import dev.longdpo.testbed.pretrain.DecodingSettings;
import dev.longdpo.testbed.task.WritingTask;
import dev.longdpo.protocol.text.Words;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The outcome-DPO baseline's pairs: per prompt, N whole answers sampled from the base, each judged
 * as a whole (the six answer-quality dimensions' mean, 1–5, plus S_l / 10, the same scale as a
 * step's value with its terminal length term); the best is chosen, the worst rejected. One pair
 * per prompt at depth 0, the prefix being the prompt alone, with the reference log-probs from the
 * sampling pass (the base is the reference).
 *
 * <p>The official code took the longest answer as rejected (method.md §2.7); judging whole
 * answers leaves one difference to the LongDPO pairs: outcome against stepwise supervision.
 */
public final class OutcomePairs {

  private final LanguageModel base;
  private final OutcomeSettings settings;
  private final AnswerJudge judge = new AnswerJudge();

  /** Pairs sampled from {@code base}. */
  public OutcomePairs(LanguageModel base, OutcomeSettings settings) {
    this.base = base;
    this.settings = settings;
  }

  private record Judged(Generation answer, StepScore score) {}

  /**
   * Samples, judges and pairs. Prompts whose answers all score the same make no pair.
   *
   * @param progress called with the number of prompts done
   */
  public List<PreferencePair> build(String runId, List<WritingTask> tasks, IntConsumer progress) {
    List<PreferencePair> out = new ArrayList<>();
    int perBatch = Math.max(1, settings.batchSize() / settings.answersPerPrompt());
    int context = base.config().maxPositionEmbeddings();
    for (int from = 0; from < tasks.size(); from += perBatch) {
      List<WritingTask> chunk = tasks.subList(from, Math.min(tasks.size(), from + perBatch));
      List<GenerationRequest> requests = new ArrayList<>();
      List<PrefixState> prefixes = new ArrayList<>();
      List<int[]> prompts = new ArrayList<>();
      for (WritingTask t : chunk) {
        int[] ids = base.encodePrompt(t.modelInput());
        prompts.add(ids);
        PrefixState prefix = base.prefix(ids);
        prefixes.add(prefix);
        int budget = (int) Math.ceil(t.length() * settings.lengthFactor() * DecodingSettings.TOKENS_PER_WORD) + 16;
        SamplingParams params = SamplingParams.sampling(settings.temperature(), Math.max(1, Math.min(budget, context - ids.length)))
            .withTopP(settings.topP());
        for (int n = 0; n < settings.answersPerPrompt(); n++) {
          requests.add(GenerationRequest.of(prefix, params, DecodingSettings.seed(settings.seed() * 31 + n, t.id())));
        }
      }
      List<Generation> answers = base.generate(requests);
      prefixes.forEach(PrefixState::close);
      for (int i = 0; i < chunk.size(); i++) {
        WritingTask t = chunk.get(i);
        List<Judged> judged = new ArrayList<>();
        for (int n = 0; n < settings.answersPerPrompt(); n++) {
          Generation g = answers.get(i * settings.answersPerPrompt() + n);
          if (g.tokenIds().length > 0) {
            judged.add(new Judged(g, score(t, g.text().strip())));
          }
        }
        pair(runId, t, prompts.get(i), judged).ifPresent(out::add);
      }
      progress.accept(Math.min(tasks.size(), from + chunk.size()));
    }
    return out;
  }

  private StepScore score(WritingTask t, String answer) {
    Map<QualityDimension, Double> dims = judge.score(t, answer);
    List<Double> values = new ArrayList<>(dims.values());
    double quality = values.stream().mapToDouble(Double::doubleValue).average().orElse(1);
    double length = LengthTerm.sl(t.length(), Words.count(answer)) / 10;
    return new StepScore(values, length, quality, quality + length);
  }

  private java.util.Optional<PreferencePair> pair(String runId, WritingTask t, int[] prompt, List<Judged> judged) {
    if (judged.size() < 2) {
      return java.util.Optional.empty();
    }
    judged.sort(Comparator.comparingDouble((Judged j) -> j.score().value()).reversed());
    Judged best = judged.get(0);
    Judged worst = judged.get(judged.size() - 1);
    if (best.score().value() <= worst.score().value() || best.answer().text().equals(worst.answer().text())) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new PreferencePair(PreferencePair.id(runId, t.id(), 0), runId, t.id(), 0, t.prompt(),
        t.modelInput(), prompt, step(best), step(worst), false, 0, false, 1));
  }

  private static PairStep step(Judged j) {
    Generation g = j.answer();
    return new PairStep(g.text(), g.tokenIds(), g.endedWithEos(), j.score(), g.sumLogProb(), j.score().value());
  }
}
