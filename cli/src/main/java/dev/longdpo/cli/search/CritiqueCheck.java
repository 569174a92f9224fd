package dev.longdpo.cli.search;

import dev.longdpo.actors.backend.Critic;
import dev.longdpo.actors.backend.Judge;
import dev.longdpo.actors.backend.Policy;
import dev.longdpo.actors.backend.TaskSpecs;
import dev.longdpo.coordinator.search.TreeSearch;
import dev.longdpo.protocol.search.CriticProtocol;
import dev.longdpo.protocol.search.ExpandJob;
import dev.longdpo.protocol.search.Guidance;
import dev.longdpo.protocol.search.StepDecoding;
import dev.longdpo.protocol.search.StepSample;
import dev.longdpo.protocol.search.StepScore;
import dev.longdpo.protocol.search.TaskSpec;
import dev.longdpo.testbed.metrics.JudgeFreeMetrics;
import dev.longdpo.testbed.task.WritingTask;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * Does critique-guided regeneration help? For each task: a first step as context, K candidate
 * next steps, the weakest of them (lowest quality) critiqued against the siblings that beat it on
 * some principle, then regenerated twice from the same seed, with the suggestions (as decoding
 * constraints) and without (the control). Judge scores and the judge-free counts (repeated
 * sentences, contradicted facts, off-topic sentences) of the weak, guided and control steps are
 * compared, so the gain of the suggestions is separated from the gain of merely sampling again.
 */
public final class CritiqueCheck {

  /**
   * One critiqued step.
   *
   * @param principle the principle of the most confident suggestion
   * @param weak the weak step's quality (1-5)
   * @param guided the regenerated step's quality, with suggestions
   * @param control the regenerated step's quality, same seed, no suggestions
   * @param weakFlaws judge-free flaws (repeated + contradicted + off-topic sentences) the weak step adds
   * @param guidedFlaws the same for the guided step
   * @param controlFlaws the same for the control
   */
  public record Case(String principle, double weak, double guided, double control, int weakFlaws, int guidedFlaws,
      int controlFlaws) {}

  /** The summary over cases. */
  public record Result(List<Case> cases) {
    /** Mean quality gain of the guided step over the weak one. */
    public double meanGain() {
      return cases.stream().mapToDouble(c -> c.guided() - c.weak()).average().orElse(0);
    }

    /** Mean quality gain of the unguided resample over the weak one. */
    public double meanControlGain() {
      return cases.stream().mapToDouble(c -> c.control() - c.weak()).average().orElse(0);
    }

    /** Share of cases where the guided step scores above the weak one. */
    public double helpRate() {
      return cases.stream().filter(c -> c.guided() > c.weak()).count() / (double) Math.max(1, cases.size());
    }

    /** Share of cases where the guided step scores above the control. */
    public double beatsControlRate() {
      return cases.stream().filter(c -> c.guided() > c.control()).count() / (double) Math.max(1, cases.size());
    }

    /** Mean judge-free flaws added by weak, guided and control steps. */
    public double[] meanFlaws() {
      return new double[] {
        cases.stream().mapToInt(Case::weakFlaws).average().orElse(0),
        cases.stream().mapToInt(Case::guidedFlaws).average().orElse(0),
        cases.stream().mapToInt(Case::controlFlaws).average().orElse(0)
      };
    }
  }

  private final Policy policy;
  private final Judge judge;
  private final Critic critic;
  private final Function<WritingTask, int[]> prompts;
  private final StepDecoding decoding;
  private final int k;
  private final int maxSuggestions;

  /**
   * @param prompts the prompt's token ids of a task
   * @param k candidates per expansion
   */
  public CritiqueCheck(Policy policy, Judge judge, Critic critic, Function<WritingTask, int[]> prompts,
      StepDecoding decoding, int k, int maxSuggestions) {
    this.policy = policy;
    this.judge = judge;
    this.critic = critic;
    this.prompts = prompts;
    this.decoding = decoding;
    this.k = k;
    this.maxSuggestions = maxSuggestions;
  }

  /** Runs the check on every task (a case each where the critic has something to say). */
  public Result run(List<WritingTask> tasks, long seed, IntConsumer progress) {
    List<Case> cases = new ArrayList<>();
    int done = 0;
    for (WritingTask t : tasks) {
      check(t, seed).ifPresent(cases::add);
      policy.forget(t.id());
      progress.accept(++done);
    }
    return new Result(cases);
  }

  private record Candidate(StepSample step, StepScore score) {}

  private Optional<Case> check(WritingTask t, long seed) {
    TaskSpec spec = TaskSpecs.of(t);
    int[] prompt = prompts.apply(t);
    long s = seed * 0x9E3779B97F4A7C15L ^ t.id().hashCode();
    StepSample first = expand(t.id(), "root", prompt, 1, s, List.of()).get(0);
    if (first.endsAnswer()) {
      return Optional.empty();
    }
    String context = first.text();
    int[] contextTokens = concat(prompt, first.tokens());
    List<Candidate> candidates = new ArrayList<>();
    for (StepSample c : expand(t.id(), first.childKey(), contextTokens, k, s + 1, List.of())) {
      candidates.add(new Candidate(c, judge.score(spec, context, c.text(), c.endsAnswer())));
    }
    candidates.sort(Comparator.comparingDouble(c -> c.score().quality()));
    Candidate weak = candidates.get(0);
    List<CriticProtocol.Reviewed> better = new ArrayList<>();
    for (Candidate c : candidates.subList(1, candidates.size())) {
      if (TreeSearch.beatsOnSomePrinciple(c.score(), weak.score()) && !c.step().text().equals(weak.step().text())) {
        better.add(new CriticProtocol.Reviewed(c.step().text(), c.score(), c.step().endsAnswer()));
      }
    }
    if (better.isEmpty()) {
      return Optional.empty();
    }
    List<Guidance> suggestions = critic.critique(spec, context,
        new CriticProtocol.Reviewed(weak.step().text(), weak.score(), weak.step().endsAnswer()), better, maxSuggestions);
    if (suggestions.isEmpty()) {
      return Optional.empty();
    }
    StepSample guided = expand(t.id(), first.childKey(), contextTokens, 1, s + 2, suggestions).get(0);
    StepSample control = expand(t.id(), first.childKey(), contextTokens, 1, s + 2, List.of()).get(0);
    return Optional.of(new Case(suggestions.get(0).principle(), weak.score().quality(),
        judge.score(spec, context, guided.text(), guided.endsAnswer()).quality(),
        judge.score(spec, context, control.text(), control.endsAnswer()).quality(),
        flawsAdded(t, context, weak.step().text()), flawsAdded(t, context, guided.text()),
        flawsAdded(t, context, control.text())));
  }

  private List<StepSample> expand(String tree, String key, int[] tokens, int count, long seed, List<Guidance> guidance) {
    return policy.expand(List.of(new ExpandJob(tree, key, tokens, count, seed, decoding, guidance))).get(0);
  }

  /** Repeated, contradicting and off-topic sentences the step adds to the context. */
  private static int flawsAdded(WritingTask t, String context, String step) {
    JudgeFreeMetrics.Counts before = JudgeFreeMetrics.count(t, context);
    JudgeFreeMetrics.Counts after = JudgeFreeMetrics.count(t, context + step);
    return (after.repeated() - before.repeated()) + (after.contradictions() - before.contradictions())
        + (after.offTopic() - before.offTopic());
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
