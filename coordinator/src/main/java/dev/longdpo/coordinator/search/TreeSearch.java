package dev.longdpo.coordinator.search;

import dev.longdpo.actors.backend.StatedFact;
import dev.longdpo.protocol.pairs.PairStep;
import dev.longdpo.protocol.pairs.PreferencePair;
import dev.longdpo.protocol.pairs.TreeCompleted;
import dev.longdpo.protocol.search.CriticProtocol;
import dev.longdpo.protocol.search.ExpandJob;
import dev.longdpo.protocol.search.Guidance;
import dev.longdpo.protocol.search.RewardProtocol;
import dev.longdpo.protocol.search.StepSample;
import dev.longdpo.protocol.search.StepScore;
import dev.longdpo.protocol.search.TaskSpec;
import dev.longdpo.protocol.text.Words;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The LongDPO search for one prompt, as a state machine that asks for work and is handed results:
 * the actor that drives it and the plain loop used as a benchmark baseline run the same logic.
 *
 * <p>Per committed step: R rollouts, each selecting a leaf from the current root by PUCT,
 * expanding it (K sampled steps), scoring the children with the judge and backing their values up
 * (a child that ends the answer is a terminal leaf whose value carries the final S_l, so running
 * past the target is paid for up the tree). Then the root's child with the highest mean value that
 * the memory pool does not veto is committed, a pair is recorded against a lower-valued sibling,
 * and the committed child becomes the root, keeping its subtree. A weak chosen step (quality below
 * the threshold) is critiqued and regenerated with the suggestions; the regenerated step replaces
 * it when it scores higher. Suggestions never reach the recorded prefix.
 *
 * <p>The memory pool's checks are requests too (which candidates contradict the pool's facts, and
 * which facts a committed step states), so a slow fact checker holds up its tree's next request,
 * never the thread of the actor that drives it.
 */
public final class TreeSearch {

  /** Something the tree needs done. */
  public sealed interface Request permits Expand, Score, Critique, CheckFacts, ExtractFacts, ScoreReference {}

  /** Sample steps after a node. */
  public record Expand(ExpandJob job) implements Request {}

  /** Score candidates after a context. */
  public record Score(String context, List<RewardProtocol.Candidate> candidates) implements Request {}

  /** Critique a weak chosen step against siblings that beat it. */
  public record Critique(String context, CriticProtocol.Reviewed chosen, List<CriticProtocol.Reviewed> siblings, int max)
      implements Request {}

  /** Which candidates contradict a fact of the pool (answer: one flag per candidate, in order). */
  public record CheckFacts(List<String> candidates, List<StatedFact> pool) implements Request {}

  /** The facts a committed step states, for the pool. */
  public record ExtractFacts(String step) implements Request {}

  /**
   * The reference's summed log-probs of a pair's two sides on its clean prefix (answer: chosen,
   * then rejected), asked when the policy that sampled them is not the reference.
   */
  public record ScoreReference(int[] prefix, int[] chosen, int[] rejected) implements Request {}

  private enum Phase {
    READY, EXPANDING, SCORING, CHECKING, CRITIQUING, REGENERATING, RESCORING, RECHECKING, REFERENCING, EXTRACTING,
    DONE
  }

  private final TaskSpec task;
  private final SearchSettings settings;
  private final String runId;
  private final String templatedPrompt;
  /** Whether pairs carry the reference backend's log-probs rather than the sampler's. */
  private final boolean referenceScored;
  /** Whether the critique improved the step whose pair waits for the reference. */
  private boolean pendingCritiqueApplied;
  private final Random random;
  private final long seed;
  private final int depthCap;
  private final List<StatedFact> pool = new ArrayList<>();
  private final List<PreferencePair> pairs = new ArrayList<>();

  private Node root;
  private Phase phase = Phase.READY;
  private Node pending;
  private List<StepSample> pendingSamples;
  /** Scored children (or the regenerated step) waiting for the pool's check. */
  private List<Node> pendingCreated;
  private int rolloutsAtRoot;
  private int vetoRetriesAtRoot;
  private int expansions;
  private int requestCounter;
  private int vetoes;
  private int prematureEnds;
  private int critiquesFired;
  private int critiquesApplied;
  private Node chosen;
  private Node rejected;
  private boolean ended;

  /**
   * @param task the task (its spec travels to the judge and critic)
   * @param promptTokens the templated prompt's ids (with BOS)
   * @param templatedPrompt the templated prompt text, the start of every pair's prefix
   * @param settings search settings
   * @param runId the run, part of every pair id
   */
  public TreeSearch(
      TaskSpec task, int[] promptTokens, String templatedPrompt, SearchSettings settings, String runId) {
    this(task, promptTokens, templatedPrompt, settings, runId, false);
  }

  /**
   * A search whose pairs take their log-probs from the reference backend when {@code
   * referenceScored} (the policy is not the reference), else from the sampler.
   */
  public TreeSearch(TaskSpec task, int[] promptTokens, String templatedPrompt, SearchSettings settings, String runId,
      boolean referenceScored) {
    this.referenceScored = referenceScored;
    this.task = task;
    this.settings = settings;
    this.runId = runId;
    this.templatedPrompt = templatedPrompt;
    this.seed = seedFor(settings.seed(), task.id());
    this.random = new Random(seed);
    this.depthCap = settings.depthCap(task.length());
    this.root = new Node(task.id() + "/r", promptTokens);
  }

  /** The seed of a prompt's search: from the run seed and the prompt id only. */
  public static long seedFor(long runSeed, String promptId) {
    long h = runSeed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
    for (char c : promptId.toCharArray()) {
      h = (h ^ c) * 0x100000001B3L;
    }
    return h;
  }

  /** The prompt id. */
  public String id() {
    return task.id();
  }

  /** Whether the search is over. */
  public boolean isDone() {
    return phase == Phase.DONE;
  }

  /**
   * The next request to send, or empty while one is outstanding or when done. Call again after
   * each result is delivered.
   */
  public Optional<Request> next() {
    while (phase == Phase.READY) {
      if (rolloutsAtRoot >= settings.rollouts() && root.expanded()) {
        Optional<Request> r = commit();
        if (r.isPresent() || phase != Phase.READY) {
          return r;
        }
        continue;
      }
      Node leaf = select();
      rolloutsAtRoot++;
      if (leaf.terminal) {
        leaf.backup(leaf.score.value(), 1);
        continue;
      }
      pending = leaf;
      phase = Phase.EXPANDING;
      return Optional.of(new Expand(job(leaf, settings.k(), List.of())));
    }
    return Optional.empty();
  }

  private ExpandJob job(Node node, int count, List<Guidance> guidance) {
    long jobSeed = seed ^ (0x9E3779B97F4A7C15L * (++requestCounter));
    return new ExpandJob(task.id(), node.key, node.tokens, count, jobSeed, settings.decoding(), guidance);
  }

  /** Descends from the root by PUCT to a node that is unexpanded or terminal. */
  private Node select() {
    Node n = root;
    while (n.expanded() && !n.terminal) {
      List<Node> valid = n.validChildren();
      if (valid.isEmpty()) {
        return n; // everything below was vetoed or empty: expand it again
      }
      n = Puct.select(n, valid, settings.cBase(), settings.cInit());
    }
    return n;
  }

  /** Delivers the samples of the outstanding expansion. */
  public Optional<Request> onExpanded(List<StepSample> samples) {
    require(phase == Phase.EXPANDING || phase == Phase.REGENERATING, "expansion");
    expansions++;
    List<StepSample> fresh = new ArrayList<>();
    Set<String> texts = new HashSet<>();
    for (StepSample s : samples) {
      if (!s.text().isBlank() && texts.add(s.text())) {
        fresh.add(s); // drop empty and duplicate steps, as the official search does
      }
    }
    pendingSamples = fresh;
    if (fresh.isEmpty()) {
      if (phase == Phase.REGENERATING) {
        phase = Phase.READY;
        return finalizeDepth(false);
      }
      if (pending.children == null) {
        pending.children = new ArrayList<>();
      }
      if (pending == root && root.children.isEmpty()) {
        ended = true; // the policy has nothing more to say after the root
        finish();
        return Optional.empty();
      }
      if (pending != root) {
        pending.terminal = true;
        pending.backup(pending.score.value(), 1);
      }
      pending = null;
      phase = Phase.READY;
      return next();
    }
    List<RewardProtocol.Candidate> candidates = new ArrayList<>();
    for (StepSample s : fresh) {
      candidates.add(new RewardProtocol.Candidate(s.text(), endsOrCapped(s, pending.depth + 1)));
    }
    phase = phase == Phase.EXPANDING ? Phase.SCORING : Phase.RESCORING;
    return Optional.of(new Score(pending.response, candidates));
  }

  private boolean endsOrCapped(StepSample s, int depth) {
    return s.endsAnswer() || depth >= depthCap;
  }

  /** Delivers the scores of the outstanding candidates. */
  public Optional<Request> onScored(List<StepScore> scores) {
    require(phase == Phase.SCORING || phase == Phase.RESCORING, "scores");
    if (scores.size() != pendingSamples.size()) {
      throw new IllegalArgumentException("expected " + pendingSamples.size() + " scores, got " + scores.size());
    }
    if (phase == Phase.RESCORING) {
      return onRegeneratedScores(scores);
    }
    List<Node> created = new ArrayList<>();
    for (int i = 0; i < pendingSamples.size(); i++) {
      Node c = new Node(pending, pendingSamples.get(i));
      c.score = scores.get(i);
      c.terminal = endsOrCapped(c.step, c.depth);
      created.add(c);
    }
    if (poolChecks()) {
      pendingCreated = created;
      phase = Phase.CHECKING;
      return Optional.of(new CheckFacts(created.stream().map(c -> c.step.text()).toList(), List.copyOf(pool)));
    }
    return addChildren(created, Collections.nCopies(created.size(), false));
  }

  /** Whether candidates go to the pool's check: the pool is on and holds facts. */
  private boolean poolChecks() {
    return settings.memoryPool() && !pool.isEmpty();
  }

  /** Delivers the pool's verdicts on the outstanding candidates: whether each contradicts a fact. */
  public Optional<Request> onFactsChecked(List<Boolean> contradicts) {
    require(phase == Phase.CHECKING || phase == Phase.RECHECKING, "fact check");
    if (contradicts.size() != pendingCreated.size()) {
      throw new IllegalArgumentException("expected " + pendingCreated.size() + " verdicts, got " + contradicts.size());
    }
    List<Node> created = pendingCreated;
    pendingCreated = null;
    if (phase == Phase.RECHECKING) {
      phase = Phase.READY;
      return decideRegenerated(created.get(0), contradicts.get(0));
    }
    return addChildren(created, contradicts);
  }

  /** Adds scored children, vetoing those that contradict the pool or end too soon, and backs up. */
  private Optional<Request> addChildren(List<Node> created, List<Boolean> contradicts) {
    for (int i = 0; i < created.size(); i++) {
      Node c = created.get(i);
      if (contradicts.get(i)) {
        vetoes++;
      }
      c.vetoed = contradicts.get(i) || endsTooSoon(c);
    }
    if (pending.children == null) {
      pending.children = new ArrayList<>();
    }
    pending.children.addAll(created);
    Puct.setPriors(pending.children);
    double sum = 0;
    int count = 0;
    for (Node c : created) {
      if (!c.vetoed) {
        c.visits = 1;
        c.valueSum = c.score.value();
        sum += c.score.value();
        count++;
      }
    }
    if (count > 0) {
      pending.backup(sum, count);
    }
    pending = null;
    pendingSamples = null;
    phase = Phase.READY;
    return next();
  }

  /** Whether a child ends the answer before the minimum share of the required length. */
  private boolean endsTooSoon(Node c) {
    if (!c.step.endsAnswer() || settings.minEndFraction() <= 0) {
      return false;
    }
    boolean early = Words.count(c.response) < settings.minEndFraction() * task.length();
    if (early) {
      prematureEnds++;
    }
    return early;
  }

  /** Commits the root's best child, or asks for what it needs first (a retry or a critique). */
  private Optional<Request> commit() {
    List<Node> valid = root.validChildren();
    if (valid.isEmpty()) {
      if (root.children.isEmpty() || vetoRetriesAtRoot >= settings.vetoRetries()) {
        List<Node> all = new ArrayList<>(root.children);
        if (all.isEmpty()) {
          ended = true;
          finish();
          return Optional.empty();
        }
        all.sort(byQuality());
        chosen = all.get(0); // every candidate vetoed, retries spent: the paper's fallback
        chosen.vetoed = false;
      } else {
        vetoRetriesAtRoot++;
        pending = root;
        phase = Phase.EXPANDING;
        return Optional.of(new Expand(job(root, settings.k(), List.of())));
      }
    } else {
      valid.sort(byQuality());
      chosen = valid.get(0);
    }
    rejected = pickRejected();
    if (settings.critique() && chosen.score.quality() < settings.critiqueThreshold()) {
      List<CriticProtocol.Reviewed> better = new ArrayList<>();
      for (Node s : root.children) {
        if (s != chosen && beatsOnSomePrinciple(s.score, chosen.score)) {
          better.add(reviewed(s));
        }
      }
      if (!better.isEmpty()) {
        critiquesFired++;
        phase = Phase.CRITIQUING;
        return Optional.of(new Critique(root.response, reviewed(chosen), better, settings.maxSuggestions()));
      }
    }
    return finalizeDepth(false);
  }

  /** Highest mean value first; ties go to more visits. */
  private static Comparator<Node> byQuality() {
    return Comparator.comparingDouble(Node::q).reversed().thenComparing(Comparator.comparingInt((Node n) -> n.visits).reversed());
  }

  private Node pickRejected() {
    List<Node> lower = new ArrayList<>();
    for (Node s : root.children) {
      // A vetoed sibling contradicts an accepted fact: worse whatever its value.
      boolean worse = s.vetoed || s.q() < chosen.q();
      if (s != chosen && worse && !s.step.text().equals(chosen.step.text())) {
        lower.add(s);
      }
    }
    if (lower.isEmpty()) {
      return null; // no valid sibling: no pair (never a synthetic negative)
    }
    if (settings.rejected() == RejectedPolicy.LOWEST) {
      lower.sort(Comparator.comparingDouble((Node n) -> n.vetoed ? Double.NEGATIVE_INFINITY : n.q()));
      return lower.get(0);
    }
    if (settings.rejected() == RejectedPolicy.RANDOM_LOWER_CONTRAST_END && chosen.step.endsAnswer()) {
      List<Node> goingOn = lower.stream().filter(n -> !n.step.endsAnswer()).toList();
      if (!goingOn.isEmpty()) {
        return goingOn.get(random.nextInt(goingOn.size()));
      }
    }
    if (settings.rejected() == RejectedPolicy.CLOSEST_LENGTH_LOWER) {
      int target = chosen.step.tokens().length;
      int best = lower.stream().mapToInt(n -> Math.abs(n.step.tokens().length - target)).min().getAsInt();
      List<Node> closest = lower.stream().filter(n -> Math.abs(n.step.tokens().length - target) == best).toList();
      return closest.get(random.nextInt(closest.size()));
    }
    if (settings.rejected() == RejectedPolicy.LOWEST_QUALITY_LOWER) {
      return lowestQuality(lower);
    }
    Node drawn = lower.get(random.nextInt(lower.size()));
    if (settings.rejected() == RejectedPolicy.RANDOM_END_LOWEST_QUALITY) {
      return lowestQuality(lower.stream().filter(n -> n.step.endsAnswer() == drawn.step.endsAnswer()).toList());
    }
    return drawn;
  }

  /** The node of lowest step quality (a vetoed one first); ties at random. */
  private Node lowestQuality(List<Node> nodes) {
    ToDoubleFunction<Node> quality = n -> n.vetoed ? Double.NEGATIVE_INFINITY : n.score.quality();
    double worst = nodes.stream().mapToDouble(quality).min().getAsDouble();
    List<Node> worstOnes = nodes.stream().filter(n -> quality.applyAsDouble(n) == worst).toList();
    return worstOnes.get(random.nextInt(worstOnes.size()));
  }

  /**
   * Whether {@code a} scores higher than {@code b} on at least one principle or on the length
   * term: such a sibling has something to teach the critic about {@code b}.
   */
  public static boolean beatsOnSomePrinciple(StepScore a, StepScore b) {
    for (int i = 0; i < a.principles().size(); i++) {
      if (a.principles().get(i) > b.principles().get(i)) {
        return true;
      }
    }
    return a.lengthTerm() > b.lengthTerm();
  }

  private static CriticProtocol.Reviewed reviewed(Node n) {
    return new CriticProtocol.Reviewed(n.step.text(), n.score, n.step.endsAnswer());
  }

  /** Delivers the critic's suggestions. */
  public Optional<Request> onCritiqued(List<Guidance> suggestions) {
    require(phase == Phase.CRITIQUING, "critique");
    if (suggestions.isEmpty()) {
      phase = Phase.READY;
      return finalizeDepth(false);
    }
    int take = 1 + random.nextInt(Math.min(suggestions.size(), settings.maxSuggestions()));
    pending = root;
    phase = Phase.REGENERATING;
    return Optional.of(new Expand(job(root, 1, suggestions.subList(0, take))));
  }

  private Optional<Request> onRegeneratedScores(List<StepScore> scores) {
    StepSample regenerated = pendingSamples.get(0);
    Node candidate = new Node(root, regenerated);
    candidate.score = scores.get(0);
    candidate.terminal = endsOrCapped(regenerated, candidate.depth);
    pending = null;
    pendingSamples = null;
    // Only a regenerated step that would replace the chosen one needs the pool's check.
    if (candidate.score.value() > chosen.score.value() && poolChecks()) {
      pendingCreated = List.of(candidate);
      phase = Phase.RECHECKING;
      return Optional.of(new CheckFacts(List.of(regenerated.text()), List.copyOf(pool)));
    }
    phase = Phase.READY;
    return decideRegenerated(candidate, false);
  }

  /** Replaces the chosen step with the regenerated one if it scores higher and the pool allows it. */
  private Optional<Request> decideRegenerated(Node candidate, boolean contradicts) {
    if (contradicts) {
      vetoes++;
    }
    boolean replace = candidate.score.value() > chosen.score.value() && !contradicts
        && !candidate.step.text().equals(chosen.step.text());
    if (replace) {
      candidate.visits = 1;
      candidate.valueSum = candidate.score.value();
      root.children.add(candidate);
      Node old = chosen;
      chosen = candidate;
      if (rejected == null || rejected.q() >= chosen.q()) {
        rejected = old; // the step the critique improved on is a fair rejected side
      }
      return finalizeDepth(true);
    }
    return finalizeDepth(false);
  }

  /** Records the pair, asks for the chosen step's facts, and moves the root to the chosen child. */
  private Optional<Request> finalizeDepth(boolean critiqueApplied) {
    if (critiqueApplied) {
      critiquesApplied++;
    }
    if (rejected != null && referenceScored) {
      pendingCritiqueApplied = critiqueApplied;
      phase = Phase.REFERENCING;
      return Optional.of(new ScoreReference(root.tokens, chosen.step.tokens(), rejected.step.tokens()));
    }
    if (rejected != null) {
      recordPair(critiqueApplied, chosen.step.sumLogProb(), rejected.step.sumLogProb());
    }
    return afterPair();
  }

  /** Delivers the reference's log-probs of the outstanding pair's chosen and rejected sides. */
  public Optional<Request> onReferenceScored(double chosenLogProb, double rejectedLogProb) {
    require(phase == Phase.REFERENCING, "reference scores");
    phase = Phase.READY;
    recordPair(pendingCritiqueApplied, chosenLogProb, rejectedLogProb);
    return afterPair();
  }

  private void recordPair(boolean critiqueApplied, double chosenLogProb, double rejectedLogProb) {
    int depth = chosen.depth;
    pairs.add(new PreferencePair(
        PreferencePair.id(runId, task.id(), depth), runId, task.id(), depth, task.prompt(),
        templatedPrompt + root.response, root.tokens, side(chosen, chosenLogProb), side(rejected, rejectedLogProb),
        critiqueApplied, settings.policyVersion(), rejected.vetoed, 0));
  }

  /** Asks for the chosen step's facts, or moves on. */
  private Optional<Request> afterPair() {
    if (settings.memoryPool()) {
      phase = Phase.EXTRACTING;
      return Optional.of(new ExtractFacts(chosen.step.text()));
    }
    return advanceRoot();
  }

  /** Delivers the facts the committed step states; they join the pool. */
  public Optional<Request> onFactsExtracted(List<StatedFact> facts) {
    require(phase == Phase.EXTRACTING, "facts");
    pool.addAll(facts);
    phase = Phase.READY;
    return advanceRoot();
  }

  private Optional<Request> advanceRoot() {
    Node next = chosen;
    next.parent = null; // the old tree is no longer needed
    root = next;
    rolloutsAtRoot = 0;
    vetoRetriesAtRoot = 0;
    chosen = null;
    rejected = null;
    if (root.step.endsAnswer() || root.depth >= depthCap) {
      ended = root.step.endsAnswer();
      finish();
      return Optional.empty();
    }
    return next();
  }

  private static PairStep side(Node n, double refLogProb) {
    return new PairStep(n.step.text(), n.step.tokens(), n.step.endsAnswer(), n.score, refLogProb, n.q());
  }

  private void finish() {
    phase = Phase.DONE;
    // Only now is the number of pairs on the final path known; a trainer that weights prompts
    // rather than pairs reads it from each pair.
    int n = pairs.size();
    pairs.replaceAll(p -> p.withPromptPairs(n));
  }

  private void require(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(task.id() + ": unexpected " + what + " in phase " + phase);
    }
  }

  /**
   * Pairs recorded since the last call, in depth order. Take them once the search {@link #isDone
   * is done}: only then do they carry {@link PreferencePair#promptPairs}.
   */
  public List<PreferencePair> takePairs() {
    List<PreferencePair> out = List.copyOf(pairs);
    pairs.clear();
    return out;
  }

  /** The summary of a finished search. */
  public TreeCompleted completion(int pairCount) {
    return new TreeCompleted(task.id(), pairCount, root.depth, vetoes, critiquesFired, critiquesApplied, expansions,
        root.response, ended, 0, 0, prematureEnds);
  }

  /** Facts in the memory pool now. */
  public List<StatedFact> pool() {
    return List.copyOf(pool);
  }

  /** The committed answer so far. */
  public String answer() {
    return root.response;
  }

  /** The current root's depth. */
  public int depth() {
    return root.depth;
  }
}
