package dev.longdpo.coordinator;

import dev.longdpo.actors.backend.Critic;
import dev.longdpo.actors.backend.Judge;
import dev.longdpo.actors.backend.Policy;
import dev.longdpo.actors.backend.PromptEncoder;
import dev.longdpo.coordinator.search.SearchSettings;
import dev.longdpo.coordinator.search.TreeSearch;
import dev.longdpo.protocol.pairs.PreferencePair;
import dev.longdpo.protocol.search.ExpandJob;
import dev.longdpo.protocol.search.RewardProtocol;
import dev.longdpo.protocol.search.StepSample;
import dev.longdpo.protocol.search.StepScore;
import dev.longdpo.protocol.search.TaskSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The same search without actors: a plain single-threaded loop that keeps the same number of trees
 * in flight and sends the policy the same batches a search node would (every waiting expansion, up
 * to the row limit). It is the baseline the actor overhead is measured against (benchmark P4), and
 * a check that both paths produce the same pairs.
 */
public final class SyncSearch {

  private final Policy policy;
  private final Judge judge;
  private final Critic critic;
  private final SearchBackends backends;
  private final int maxBatchRows;

  /** A loop over these backends. */
  public SyncSearch(Policy policy, Judge judge, Critic critic, SearchBackends backends, int maxBatchRows) {
    this.policy = policy;
    this.judge = judge;
    this.critic = critic;
    this.backends = backends;
    this.maxBatchRows = maxBatchRows;
  }

  /** Searches every task; returns every pair, in the order trees produced them. */
  public List<PreferencePair> run(String runId, List<TaskSpec> tasks, SearchSettings settings) {
    Deque<TaskSpec> pending = new ArrayDeque<>(tasks);
    Map<TreeSearch, TaskSpec> live = new LinkedHashMap<>();
    Map<TreeSearch, TreeSearch.Request> waiting = new LinkedHashMap<>();
    List<PreferencePair> pairs = new ArrayList<>();
    while (!pending.isEmpty() || !live.isEmpty()) {
      while (live.size() < settings.treesInFlight() && !pending.isEmpty()) {
        TaskSpec t = pending.poll();
        PromptEncoder.EncodedPrompt prompt = backends.prompts().encode(t);
        TreeSearch tree = new TreeSearch(t, prompt.ids(), prompt.text(), settings, runId, backends.reference().isPresent());
        live.put(tree, t);
        tree.next().ifPresent(r -> waiting.put(tree, r));
      }
      // Judge, critic and memory-pool requests are answered at once; expansions wait for one batch.
      List<TreeSearch> expanding = new ArrayList<>();
      List<ExpandJob> jobs = new ArrayList<>();
      int rows = 0;
      for (Map.Entry<TreeSearch, TreeSearch.Request> e : new ArrayList<>(waiting.entrySet())) {
        TreeSearch tree = e.getKey();
        if (e.getValue() instanceof TreeSearch.Expand x) {
          if (rows + x.job().count() <= maxBatchRows || jobs.isEmpty()) {
            expanding.add(tree);
            jobs.add(x.job());
            rows += x.job().count();
          }
        } else {
          waiting.remove(tree);
          answer(tree, live.get(tree), e.getValue()).ifPresent(r -> waiting.put(tree, r));
        }
      }
      if (!jobs.isEmpty()) {
        List<List<StepSample>> results = policy.expand(jobs);
        for (int i = 0; i < expanding.size(); i++) {
          TreeSearch tree = expanding.get(i);
          waiting.remove(tree);
          tree.onExpanded(results.get(i)).ifPresent(r -> waiting.put(tree, r));
        }
      }
      for (TreeSearch tree : new ArrayList<>(live.keySet())) {
        if (tree.isDone()) {
          pairs.addAll(tree.takePairs());
          live.remove(tree);
          waiting.remove(tree);
          policy.forget(tree.id());
        }
      }
    }
    return pairs;
  }

  private Optional<TreeSearch.Request> answer(TreeSearch tree, TaskSpec task, TreeSearch.Request r) {
    if (r instanceof TreeSearch.CheckFacts f) {
      return tree.onFactsChecked(backends.facts().contradicts(f.candidates(), f.pool()));
    }
    if (r instanceof TreeSearch.ScoreReference ref) {
      double[] lp = backends.reference().orElseThrow().sumLogProbs(ref.prefix(), ref.chosen(), ref.rejected());
      return tree.onReferenceScored(lp[0], lp[1]);
    }
    if (r instanceof TreeSearch.ExtractFacts x) {
      return tree.onFactsExtracted(backends.facts().extract(x.step()));
    }
    if (r instanceof TreeSearch.Score s) {
      List<StepScore> scores = new ArrayList<>();
      for (RewardProtocol.Candidate c : s.candidates()) {
        scores.add(judge.score(task, s.context(), c.text(), c.endsAnswer()));
      }
      return tree.onScored(scores);
    }
    TreeSearch.Critique c = (TreeSearch.Critique) r;
    return tree.onCritiqued(critic.critique(task, c.context(), c.chosen(), c.siblings(), c.max()));
  }
}
