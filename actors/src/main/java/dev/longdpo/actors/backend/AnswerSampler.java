package dev.longdpo.actors.backend;

import java.util.List;

/**
 * Samples whole answers to prompts: the outcome baseline's half of the policy backend (the search
 * samples steps through {@link Policy}). Not thread-safe.
 */
public interface AnswerSampler extends AutoCloseable {

  /**
   * Answers wanted for one prompt.
   *
   * @param taskId the task (with {@code seed}, it seeds each answer's draw)
   * @param prompt the policy's encoded prompt
   * @param requiredWords the task's required length; the sampler caps an answer at {@code
   *     lengthFactor} times it, in its own tokens, and at its context
   * @param count how many answers
   */
  record AnswerJob(String taskId, int[] prompt, int requiredWords, double lengthFactor, int count, double temperature,
      double topP, long seed) {}

  /**
   * One sampled answer.
   *
   * @param sumLogProb the raw model's summed log-prob of the ids (temperature 1, no hook): the
   *     reference log-prob while the policy is the reference
   */
  record Answer(int[] tokens, String text, boolean endsAnswer, double sumLogProb) {}

  /** Each job's answers, in job order; all jobs may be decoded as one batch. */
  List<List<Answer>> sample(List<AnswerJob> jobs);

  @Override
  default void close() {}
}
