package dev.longdpo.coordinator.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.typesafe.config.ConfigFactory;
import dev.longdpo.actors.backend.Facts;
import dev.longdpo.actors.backend.TestbedFacts;
import dev.longdpo.protocol.pairs.PreferencePair;
import dev.longdpo.protocol.search.Guidance;
import dev.longdpo.protocol.search.StepSample;
import dev.longdpo.protocol.search.StepScore;
import dev.longdpo.protocol.search.TaskSpec;
import dev.longdpo.testbed.world.World;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The search against hand-computed trees: the test plays policy, judge and critic. */
class TreeSearchTest {

  static final SearchSettings DEFAULTS = SearchSettings.create(ConfigFactory.load());
  static final World.Subject CITY = World.get().subjects("city").get(0);
  static final TaskSpec TASK = new TaskSpec("p1", "In about 200 words, write about a city.", 200, "{}");

  static SearchSettings settings(int k, int rollouts) {
    return DEFAULTS.withBudget(k, rollouts).withComponents(false, false).withMinEndFraction(0);
  }

  static StepScore score(double value) {
    return new StepScore(List.of(4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0), value - 4.0, 4.0, value);
  }

  static StepScore score(double quality, double value) {
    List<Double> p = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      p.add(quality);
    }
    return new StepScore(p, value - quality, quality, value);
  }

  static StepSample sample(String nodeKey, int i, String text, boolean ends) {
    return new StepSample(new int[] {100 + i, 101}, text, ends, -2.0, nodeKey + "." + i);
  }

  static TreeSearch tree(SearchSettings s) {
    return new TreeSearch(TASK, new int[] {1, 4, 5}, "[INST] prompt [/INST]", s, "run");
  }

  private static final Facts FACTS = new TestbedFacts(0.8);

  /** Answers the memory pool's requests as a tree's driver does, until the tree asks for something else. */
  static Optional<TreeSearch.Request> settle(TreeSearch t, Optional<TreeSearch.Request> r) {
    while (r.isPresent() && !(r.get() instanceof TreeSearch.Expand || r.get() instanceof TreeSearch.Score
        || r.get() instanceof TreeSearch.Critique)) {
      if (r.get() instanceof TreeSearch.CheckFacts f) {
        r = t.onFactsChecked(FACTS.contradicts(f.candidates(), f.pool()));
      } else {
        r = t.onFactsExtracted(FACTS.extract(((TreeSearch.ExtractFacts) r.get()).step()));
      }
    }
    return r;
  }

  private static TreeSearch.Expand expand(Optional<TreeSearch.Request> r) {
    assertThat(r).containsInstanceOf(TreeSearch.Expand.class);
    return (TreeSearch.Expand) r.get();
  }

  @Test
  void aPolicyThatIsNotTheReferenceAsksTheReferenceForEachPairsLogProbs() {
    TreeSearch t = new TreeSearch(TASK, new int[] {1, 4, 5}, "[INST] prompt [/INST]", settings(2, 1), "run", true);
    expand(t.next());
    t.onExpanded(List.of(sample("p1/r", 0, " A.\n\n", false), sample("p1/r", 1, " B.\n\n", false)));
    Optional<TreeSearch.Request> r = t.onScored(List.of(score(10), score(8)));
    assertThat(r).containsInstanceOf(TreeSearch.ScoreReference.class);
    TreeSearch.ScoreReference ask = (TreeSearch.ScoreReference) r.get();
    assertThat(ask.prefix()).containsExactly(1, 4, 5);
    assertThat(ask.chosen()).containsExactly(100, 101);
    assertThat(ask.rejected()).containsExactly(101, 101);
    assertThat(t.takePairs()).as("no pair before the reference answers").isEmpty();
    expand(t.onReferenceScored(-1.5, -2.5));
    PreferencePair p = t.takePairs().get(0);
    assertThat(p.chosen().refLogProb()).isEqualTo(-1.5); // the sampler said -2.0 for both
    assertThat(p.rejected().refLogProb()).isEqualTo(-2.5);
  }

  @Test
  void puctSelectionAndBackupFollowTheHandComputedTree() {
    TreeSearch t = tree(settings(2, 3));
    TreeSearch.Expand e1 = expand(t.next());
    assertThat(e1.job().nodeKey()).isEqualTo("p1/r");
    assertThat(e1.job().count()).isEqualTo(2);
    t.onExpanded(List.of(sample("p1/r", 0, " A.\n\n", false), sample("p1/r", 1, " B.\n\n", false)));
    // Children A = 10, B = 8. Root: N = 2. PUCT: c(2) ≈ 1.25015, U = c·0.5·√2/2 ≈ 0.442 for both,
    // so A (10.44) beats B (8.44): the second rollout expands A.
    TreeSearch.Expand e2 = expand(t.onScored(List.of(score(10), score(8))));
    assertThat(e2.job().nodeKey()).isEqualTo("p1/r.0");
    t.onExpanded(List.of(sample("p1/r.0", 0, " A1.\n\n", false), sample("p1/r.0", 1, " A2.\n\n", false)));
    // A1 = 12, A2 = 11 back up: A has N = 3, Q = (10 + 12 + 11) / 3 = 11; root N = 4.
    // Third rollout: A scores 11 + c(4)·0.5·2/4 ≈ 11.31, B 8 + c(4)·0.5·2/2 ≈ 8.63: A, then A1.
    TreeSearch.Expand e3 = expand(t.onScored(List.of(score(12), score(11))));
    assertThat(e3.job().nodeKey()).isEqualTo("p1/r.0.0");
    t.onExpanded(List.of(sample("p1/r.0.0", 0, " A1a.\n\n", false), sample("p1/r.0.0", 1, " A1b.\n\n", false)));
    // R = 3 rollouts done: commit A (Q = (10+12+11+13+9)/5 = 11) over B (8). B is the only lower sibling.
    Optional<TreeSearch.Request> afterCommit = t.onScored(List.of(score(13), score(9)));
    List<PreferencePair> pairs = t.takePairs();
    assertThat(pairs).hasSize(1);
    PreferencePair p = pairs.get(0);
    assertThat(p.pairId()).isEqualTo("run/p1/1");
    assertThat(p.chosen().text()).isEqualTo(" A.\n\n");
    assertThat(p.rejected().text()).isEqualTo(" B.\n\n");
    assertThat(p.chosen().q()).isCloseTo(11.0, within(1e-9));
    assertThat(p.rejected().q()).isCloseTo(8.0, within(1e-9));
    assertThat(p.prefixText()).isEqualTo("[INST] prompt [/INST]");
    assertThat(p.prefixTokens()).containsExactly(1, 4, 5);
    assertThat(p.chosen().refLogProb()).isEqualTo(-2.0);
    // The new root is A, keeping its subtree: the next rollout goes below A1 (already expanded).
    TreeSearch.Expand e4 = expand(afterCommit);
    assertThat(e4.job().nodeKey()).startsWith("p1/r.0.");
    assertThat(e4.job().tokens()).startsWith(1, 4, 5, 100, 101);
    assertThat(t.depth()).isEqualTo(1);
  }

  static StepSample sample(String nodeKey, int i, String text, double meanLogProb) {
    return new StepSample(new int[] {100 + i, 101}, text, false, 2 * meanLogProb, nodeKey + "." + i);
  }

  @Test
  void theExplorationTermSendsARolloutToTheLessVisitedChildWithTheLowerValue() {
    TreeSearch t = tree(settings(2, 3));
    expand(t.next());
    t.onExpanded(List.of(sample("p1/r", 0, " A.\n\n", false), sample("p1/r", 1, " B.\n\n", false)));
    // A = 10, B = 9.8, equal priors and visits: A (the higher Q) is expanded.
    TreeSearch.Expand e2 = expand(t.onScored(List.of(score(10), score(9.8))));
    assertThat(e2.job().nodeKey()).isEqualTo("p1/r.0");
    t.onExpanded(List.of(sample("p1/r.0", 0, " A1.\n\n", false), sample("p1/r.0", 1, " A2.\n\n", false)));
    // A: N = 3, Q = 10; B: N = 1, Q = 9.8; root N = 4, c(4) = ln(19657 / 19652) + 1.25 = 1.250254.
    // A: 10 + c·0.5·√4 / (1 + 3) = 10.3126; B: 9.8 + c·0.5·√4 / (1 + 1) = 10.4251. Q alone picks A.
    TreeSearch.Expand e3 = expand(t.onScored(List.of(score(10), score(10))));
    assertThat(e3.job().nodeKey()).isEqualTo("p1/r.1");
  }

  @Test
  void thePriorBreaksATieBetweenEqualValues() {
    TreeSearch t = tree(settings(2, 2));
    expand(t.next());
    // Equal values; B's steps were likelier (mean log-prob -1 against -3): prior 0.881 against 0.119.
    // Without priors the tie goes to the first child.
    t.onExpanded(List.of(sample("p1/r", 0, " A.\n\n", -3.0), sample("p1/r", 1, " B.\n\n", -1.0)));
    TreeSearch.Expand e2 = expand(t.onScored(List.of(score(10), score(10))));
    assertThat(e2.job().nodeKey()).isEqualTo("p1/r.1");
  }

  @Test
  void puctScoresAndPriorsMatchTheFormula() {
    Node root = new Node("r", new int[] {1});
    Node a = new Node(root, sample("r", 0, " A.", -3.0));
    Node b = new Node(root, sample("r", 1, " B.", -1.0));
    Puct.setPriors(List.of(a, b));
    double pb = 1 / (1 + Math.exp(-2.0));
    assertThat(b.prior).isCloseTo(pb, within(1e-15));
    assertThat(a.prior).isCloseTo(1 - pb, within(1e-15));
    root.visits = 9;
    b.visits = 2;
    b.valueSum = 15;
    // Q = 7.5; c(9) = ln((9 + 19652 + 1) / 19652) + 1.25; U = c · P · √9 / (1 + 2).
    double c = Math.log(19662.0 / 19652.0) + 1.25;
    assertThat(Puct.score(root, b, 19652, 1.25)).isCloseTo(7.5 + c * pb * 3 / 3, within(1e-12));
  }

  @Test
  void aTerminalChildCarriesItsFinalValueUpTheTree() {
    TreeSearch t = tree(settings(2, 4));
    expand(t.next());
    // "End now" scores 9 (a poor final S_l); "continue" scores 10 and its children are weak.
    t.onExpanded(List.of(sample("p1/r", 0, " End.", true), sample("p1/r", 1, " Go on.\n\n", false)));
    TreeSearch.Expand e2 = expand(t.onScored(List.of(score(9), score(10))));
    assertThat(e2.job().nodeKey()).isEqualTo("p1/r.1");
    t.onExpanded(List.of(sample("p1/r.1", 0, " Too long.", true), sample("p1/r.1", 1, " Longer.", true)));
    // Both grandchildren end far past the target: 4 and 3. "Continue" falls to Q = (10+4+3)/3 = 5.67,
    // below "end now" at 9; the remaining rollouts select the terminal child and back up 9 again.
    Optional<TreeSearch.Request> r = t.onScored(List.of(score(4), score(3)));
    assertThat(r).isEmpty();
    assertThat(t.isDone()).isTrue();
    PreferencePair p = t.takePairs().get(0);
    assertThat(p.chosen().text()).isEqualTo(" End.");
    assertThat(p.chosen().endsAnswer()).isTrue();
    assertThat(p.rejected().q()).isCloseTo(17.0 / 3, within(1e-9));
    assertThat(t.completion(1).ended()).isTrue();
  }

  @Test
  void aDepthWithoutALowerSiblingYieldsNoPair() {
    TreeSearch t = tree(settings(2, 1));
    expand(t.next());
    t.onExpanded(List.of(sample("p1/r", 0, " Same.", true), sample("p1/r", 1, " Same.", true)));
    assertThat(t.onScored(List.of(score(9)))).isEmpty(); // the duplicate was dropped: one child
    assertThat(t.takePairs()).isEmpty();
    assertThat(t.isDone()).isTrue();
  }

  /** K candidates, one rollout, and {@code policy} for the rejected sibling. */
  private static SearchSettings rejecting(int k, RejectedPolicy policy) {
    return new SearchSettings(k, 1, DEFAULTS.cBase(), DEFAULTS.cInit(), DEFAULTS.decoding(), 20, 1.5, 0.0, policy, false,
        2.5, 3, false, 1, 4, 1, DEFAULTS.askTimeout(), 0);
  }

  /**
   * The pair of each of eight trees (eight prompt ids, so eight random seeds) whose root expands
   * into {@code samples(rootKey)}, scored {@code scores}: a random choice shows up across them.
   */
  private static List<PreferencePair> pairsOfEightTrees(SearchSettings s, Function<String, List<StepSample>> samples,
      List<StepScore> scores) {
    List<PreferencePair> out = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String id = "p" + i;
      TaskSpec task = new TaskSpec(id, "In about 20 words, write about a city.", 20, "{}");
      TreeSearch t = new TreeSearch(task, new int[] {1, 4, 5}, "[INST] prompt [/INST]", s, "run");
      expand(t.next());
      t.onExpanded(samples.apply(id + "/r"));
      t.onScored(scores);
      out.add(t.takePairs().get(0));
    }
    return out;
  }

  private static StepSample sized(String nodeKey, int i, String text, int tokens) {
    int[] ids = new int[tokens];
    Arrays.fill(ids, 100 + i);
    return new StepSample(ids, text, true, -2.0, nodeKey + "." + i);
  }

  @Test
  void theLowestPolicyPicksTheLowestSibling() {
    TreeSearch t = tree(rejecting(3, RejectedPolicy.LOWEST));
    expand(t.next());
    t.onExpanded(List.of(sample("p1/r", 0, " A.", true), sample("p1/r", 1, " B.", true), sample("p1/r", 2, " C.", true)));
    t.onScored(List.of(score(9), score(5), score(7)));
    assertThat(t.takePairs().get(0).rejected().text()).isEqualTo(" B.");
  }

  @Test
  void theClosestLengthPolicyRejectsTheLowerSiblingOfTheChosenStepsLength() {
    // Chosen: 6 tokens. Lower siblings of 2, 5 and 12 tokens: a random pick would miss the
    // 5-token one two times in three; across eight trees the policy must always take it.
    List<PreferencePair> pairs = pairsOfEightTrees(rejecting(4, RejectedPolicy.CLOSEST_LENGTH_LOWER),
        root -> List.of(sized(root, 0, " Best.", 6), sized(root, 1, " Short.", 2), sized(root, 2, " Close.", 5),
            sized(root, 3, " Long.", 12)),
        List.of(score(9), score(5), score(7), score(6)));
    assertThat(pairs).extracting(p -> p.chosen().text()).containsOnly(" Best.");
    assertThat(pairs).extracting(p -> p.rejected().text()).containsOnly(" Close.");
  }

  @Test
  void theLowestQualityPolicyRejectsTheLowerSiblingThatBreaksThePrinciplesMost() {
    // Values 5, 7, 6 (length term included) against qualities 4.5, 2, 4: the lowest value is
    // " Short." but the lowest quality " Repeats."; a random pick would miss it two times in three.
    List<PreferencePair> pairs = pairsOfEightTrees(rejecting(4, RejectedPolicy.LOWEST_QUALITY_LOWER),
        root -> List.of(sample(root, 0, " Best.", true), sample(root, 1, " Short.", true),
            sample(root, 2, " Repeats.", true), sample(root, 3, " Plain.", true)),
        List.of(score(4.5, 9), score(4.5, 5), score(2, 7), score(4, 6)));
    assertThat(pairs).extracting(p -> p.chosen().text()).containsOnly(" Best.");
    assertThat(pairs).extracting(p -> p.rejected().text()).containsOnly(" Repeats.");
  }

  @Test
  void theRandomEndLowestQualityPolicyKeepsTheDrawnEndAndTakesTheWorstOfThatKind() {
    // The chosen step goes on. Lower siblings: one that ends, two that go on (qualities 4 and 2).
    // The drawn sibling decides ending or going on; of those that go on, the worse one is taken,
    // so " Plain." is never rejected, which a random pick would do one time in three.
    List<PreferencePair> pairs = pairsOfEightTrees(rejecting(4, RejectedPolicy.RANDOM_END_LOWEST_QUALITY),
        root -> List.of(sample(root, 0, " Best.\n\n", false), sample(root, 1, " End.", true),
            sample(root, 2, " Plain.\n\n", false), sample(root, 3, " Repeats.\n\n", false)),
        List.of(score(4.5, 9), score(4.5, 5), score(4, 6), score(2, 7)));
    assertThat(pairs).extracting(p -> p.chosen().text()).containsOnly(" Best.\n\n");
    assertThat(pairs).extracting(p -> p.rejected().text()).containsOnly(" End.", " Repeats.\n\n")
        .contains(" End.", " Repeats.\n\n");
  }

  @Test
  void theContrastEndPolicyRejectsASiblingThatGoesOnWhenTheChosenStepEnds() {
    // Three lower siblings, two of which also end: a random lower pick would take an ending one
    // two times in three; across eight trees the policy must always take " Go on."
    List<PreferencePair> pairs = pairsOfEightTrees(rejecting(4, RejectedPolicy.RANDOM_LOWER_CONTRAST_END),
        root -> List.of(sample(root, 0, " End.", true), sample(root, 1, " Stop.", true),
            sample(root, 2, " Go on.\n\n", false), sample(root, 3, " Halt.", true)),
        List.of(score(9), score(5), score(7), score(6)));
    assertThat(pairs).extracting(p -> p.chosen().text()).containsOnly(" End.");
    assertThat(pairs).extracting(p -> p.rejected().text()).containsOnly(" Go on.\n\n");
  }

  @Test
  void theMemoryPoolVetoesAContradictionWhichMayStillBeRejected() {
    SearchSettings s = settings(2, 1).withComponents(false, true);
    TreeSearch t = tree(s);
    String name = CITY.name();
    String export = CITY.facts().get("export");
    String wrong = export.equals("salt") ? "wool" : "salt";
    expand(t.next());
    t.onExpanded(List.of(
        sample("p1/r", 0, " The main export of " + name + " is " + export + ".\n\n", false),
        sample("p1/r", 1, " Visitors come to " + name + " in every season.\n\n", false)));
    Optional<TreeSearch.Request> extract = t.onScored(List.of(score(10), score(8)));
    assertThat(extract).containsInstanceOf(TreeSearch.ExtractFacts.class); // the committed step's facts
    TreeSearch.Expand e = expand(settle(t, extract));
    assertThat(t.pool()).extracting(f -> f.triple().orElseThrow().value()).containsExactly(export);
    // The contradicting step scores highest but is vetoed: the other is chosen, it is rejected.
    t.onExpanded(List.of(
        sample(e.job().nodeKey(), 0, " The main export of " + name + " is " + wrong + ".", true),
        sample(e.job().nodeKey(), 1, " Visitors come to " + name + " in every season.", true)));
    Optional<TreeSearch.Request> check = t.onScored(List.of(score(12), score(7)));
    assertThat(check).containsInstanceOf(TreeSearch.CheckFacts.class);
    assertThat(((TreeSearch.CheckFacts) check.get()).candidates()).hasSize(2);
    settle(t, check);
    List<PreferencePair> pairs = t.takePairs();
    assertThat(pairs).hasSize(2);
    PreferencePair second = pairs.get(1);
    assertThat(second.chosen().text()).contains("Visitors");
    assertThat(second.rejected().text()).contains(wrong);
    assertThat(second.rejectedVetoed()).isTrue();
    assertThat(pairs).extracting(PreferencePair::promptPairs).containsExactly(2, 2);
    assertThat(t.completion(2).vetoes()).isEqualTo(1);
  }

  @Test
  void aWeakChosenStepIsCritiquedAndReplacedButThePrefixStaysClean() {
    SearchSettings s = settings(2, 1).withComponents(true, false).withCritiqueThreshold(4.5);
    TreeSearch t = tree(s);
    expand(t.next());
    t.onExpanded(List.of(sample("p1/r", 0, " Weak.", true), sample("p1/r", 1, " Weaker.", true)));
    // Chosen: quality 3 (value 9); the sibling has quality 4 but a worse value: it beats it on principles.
    Optional<TreeSearch.Request> r = t.onScored(List.of(score(3.0, 9), score(4.0, 8)));
    assertThat(r).containsInstanceOf(TreeSearch.Critique.class);
    TreeSearch.Critique c = (TreeSearch.Critique) r.get();
    assertThat(c.chosen().text()).isEqualTo(" Weak.");
    assertThat(c.siblings()).extracting(x -> x.text()).containsExactly(" Weaker.");
    Guidance g = new Guidance("ACCURACY", "SECRET SUGGESTION", 5, List.of("x"), List.of("y"), "KEEP");
    TreeSearch.Expand regen = expand(t.onCritiqued(List.of(g)));
    assertThat(regen.job().count()).isEqualTo(1);
    assertThat(regen.job().guidance()).containsExactly(g);
    assertThat(regen.job().nodeKey()).isEqualTo("p1/r");
    t.onExpanded(List.of(sample("p1/r", 2, " Better.", true)));
    assertThat(t.onScored(List.of(score(4.8, 11)))).isEmpty();
    PreferencePair p = t.takePairs().get(0);
    assertThat(p.critiqueApplied()).isTrue();
    assertThat(p.chosen().text()).isEqualTo(" Better.");
    assertThat(p.prefixText()).doesNotContain("SECRET");
    assertThat(t.completion(1).critiquesFired()).isEqualTo(1);
    assertThat(t.completion(1).critiquesApplied()).isEqualTo(1);
  }

  @Test
  void aRegenerationThatScoresLowerIsDropped() {
    TreeSearch t = tree(settings(2, 1).withComponents(true, false).withCritiqueThreshold(4.5));
    expand(t.next());
    t.onExpanded(List.of(sample("p1/r", 0, " Weak.", true), sample("p1/r", 1, " Weaker.", true)));
    t.onScored(List.of(score(3.0, 9), score(4.0, 8)));
    t.onCritiqued(List.of(new Guidance("ACCURACY", "s", 5, List.of(), List.of(), "KEEP")));
    t.onExpanded(List.of(sample("p1/r", 2, " Worse.", true)));
    t.onScored(List.of(score(2.0, 7)));
    PreferencePair p = t.takePairs().get(0);
    assertThat(p.critiqueApplied()).isFalse();
    assertThat(p.chosen().text()).isEqualTo(" Weak.");
  }

  @Test
  void anAnswerCannotEndFarShortOfTheTargetButThePrematureEndMayBeRejected() {
    TreeSearch t = tree(settings(2, 1).withMinEndFraction(0.34));
    expand(t.next());
    // A 200-word task: ending after 4 words scores higher but cannot be chosen.
    Optional<TreeSearch.Request> r = null;
    t.onExpanded(List.of(sample("p1/r", 0, " It ends here now.", true), sample("p1/r", 1, " It goes on.\n\n", false)));
    r = t.onScored(List.of(score(9), score(6)));
    PreferencePair p = t.takePairs().get(0);
    assertThat(p.chosen().text()).isEqualTo(" It goes on.\n\n");
    assertThat(p.rejected().text()).isEqualTo(" It ends here now.");
    assertThat(p.rejectedVetoed()).isTrue();
    assertThat(r).isPresent();
    assertThat(t.isDone()).isFalse();
  }

  @Test
  void aPromptsSeedDependsOnlyOnTheRunSeedAndItsId() {
    // Pinned: a change here changes every run's pairs, so it must be deliberate.
    assertThat(TreeSearch.seedFor(1, "p1")).isEqualTo(-1655941939347270351L);
    assertThat(TreeSearch.seedFor(1, "p1")).isNotEqualTo(TreeSearch.seedFor(1, "p2"));
    assertThat(TreeSearch.seedFor(1, "p1")).isNotEqualTo(TreeSearch.seedFor(2, "p1"));
    TreeSearch a = tree(settings(2, 2));
    TreeSearch b = tree(settings(2, 2));
    assertThat(expand(a.next()).job()).isEqualTo(expand(b.next()).job());
  }
}
