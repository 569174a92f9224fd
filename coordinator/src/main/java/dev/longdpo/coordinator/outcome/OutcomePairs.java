package dev.longdpo.coordinator.outcome;

import dev.longdpo.actors.backend.AnswerSampler;
import dev.longdpo.actors.backend.Judge;
import dev.longdpo.actors.backend.PromptEncoder;
import dev.longdpo.protocol.pairs.PairStep;
import dev.longdpo.protocol.pairs.PreferencePair;
import dev.longdpo.protocol.search.StepScore;
import dev.longdpo.protocol.search.TaskSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * The outcome-DPO baseline's pairs: per prompt, N whole answers sampled through the policy backend,
 * each judged as a whole by the judge backend ({@link Judge#scoreAnswer}: quality 1–5 plus S_l /
 * 10, the same scale as a step's value with its terminal length term); the best is chosen, the
 * worst rejected. One pair per prompt at depth 0, the prefix being the prompt alone, with the
 * reference log-probs from the sampling pass (the policy is the reference).
 *
 * <p>The official code took the longest answer as rejected (method.md §2.7); judging whole
 * answers leaves one difference to the LongDPO pairs: outcome against stepwise supervision.
 */
public final class OutcomePairs {

  private final PromptEncoder prompts;
  private final AnswerSampler sampler;
  private final Judge judge;
  private final OutcomeSettings settings;

  /** Pairs sampled through these backends. */
  public OutcomePairs(PromptEncoder prompts, AnswerSampler sampler, Judge judge, OutcomeSettings settings) {
    this.prompts = prompts;
    this.sampler = sampler;
    this.judge = judge;
    this.settings = settings;
  }

  private record Judged(AnswerSampler.Answer answer, StepScore score) {}

  /**
   * Samples, judges and pairs. Prompts whose answers all score the same make no pair.
   *
   * @param progress called with the number of prompts done
   */
  public List<PreferencePair> build(String runId, List<TaskSpec> tasks, IntConsumer progress) {
    List<PreferencePair> out = new ArrayList<>();
    int perBatch = Math.max(1, settings.batchSize() / settings.answersPerPrompt());
    for (int from = 0; from < tasks.size(); from += perBatch) {
      List<TaskSpec> chunk = tasks.subList(from, Math.min(tasks.size(), from + perBatch));
      List<PromptEncoder.EncodedPrompt> encoded = new ArrayList<>();
      List<AnswerSampler.AnswerJob> jobs = new ArrayList<>();
      for (TaskSpec t : chunk) {
        PromptEncoder.EncodedPrompt p = prompts.encode(t);
        encoded.add(p);
        jobs.add(new AnswerSampler.AnswerJob(t.id(), p.ids(), t.length(), settings.lengthFactor(),
            settings.answersPerPrompt(), settings.temperature(), settings.topP(), settings.seed()));
      }
      List<List<AnswerSampler.Answer>> answers = sampler.sample(jobs);
      for (int i = 0; i < chunk.size(); i++) {
        TaskSpec t = chunk.get(i);
        List<Judged> judged = new ArrayList<>();
        for (AnswerSampler.Answer a : answers.get(i)) {
          if (a.tokens().length > 0) {
            judged.add(new Judged(a, judge.scoreAnswer(t, a.text().strip())));
          }
        }
        pair(runId, t, encoded.get(i), judged).ifPresent(out::add);
      }
      progress.accept(Math.min(tasks.size(), from + chunk.size()));
    }
    return out;
  }

  private Optional<PreferencePair> pair(String runId, TaskSpec t, PromptEncoder.EncodedPrompt prompt,
      List<Judged> judged) {
    if (judged.size() < 2) {
      return Optional.empty();
    }
    judged.sort(Comparator.comparingDouble((Judged j) -> j.score().value()).reversed());
    Judged best = judged.get(0);
    Judged worst = judged.get(judged.size() - 1);
    if (best.score().value() <= worst.score().value() || best.answer().text().equals(worst.answer().text())) {
      return Optional.empty();
    }
    return Optional.of(new PreferencePair(PreferencePair.id(runId, t.id(), 0), runId, t.id(), 0, t.prompt(),
        prompt.text(), prompt.ids(), step(best), step(worst), false, 0, false, 1));
  }

  private static PairStep step(Judged j) {
    AnswerSampler.Answer a = j.answer();
    return new PairStep(a.text(), a.tokens(), a.endsAnswer(), j.score(), a.sumLogProb(), j.score().value());
  }
}
