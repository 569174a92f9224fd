package dev.longdpo.gpuworker.dpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.checkpoint.CheckpointException;
import dev.longdpo.model.nn.Constants;
import dev.longdpo.model.train.AdamW;
import dev.longdpo.model.train.LossFunction;
import dev.longdpo.model.train.OptimizerSettings;
import dev.longdpo.model.train.PolicyTrainer;
import dev.longdpo.model.train.StepResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stepwise DPO on one model: each step scores a micro-batch of pairs with the policy (prefix
 * shared or not), takes the DPO loss against the reference log-probs the pairs carry (no reference
 * model is held), optionally adds an NLL term on the chosen steps, and applies an AdamW update
 * with warm-up, cosine decay and clipping. A non-finite loss or gradient skips the batch; too many
 * in a row stop training with an error, the last checkpoint untouched.
 *
 * <p>Checkpoints hold the model in Hugging Face layout, the optimizer state and {@code
 * trainer_state.json} (step, pairs consumed, stream offset), written atomically; resuming from one
 * gives the same next step as an uninterrupted run. Confined to one thread.
 */
public final class DpoTrainer implements AutoCloseable {

  /** The trainer's own state file inside a checkpoint. */
  public static final String STATE_FILE = "trainer_state.json";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final LanguageModel model;
  private final DpoSettings settings;
  private final PolicyTrainer trainer;
  private final PolicyScorer scorer;
  private final DpoLoss loss;
  private long pairsConsumed;
  private long trainedTokens;
  private long streamOffset;
  private int epoch;
  private int nanInARow;
  private long skippedSteps;
  private boolean ownsModel;
  /** The cosine schedule's length, saved with checkpoints: a resumed run keeps it. */
  private final int scheduleSteps;

  /**
   * @param model a trainable model (the trainer does not close it)
   * @param totalSteps the cosine schedule's length (an estimate when pairs stream in)
   */
  public DpoTrainer(LanguageModel model, DpoSettings settings, int totalSteps) {
    this.model = model;
    this.settings = settings;
    this.scheduleSteps = Math.max(1, totalSteps);
    OptimizerSettings opt =
        new OptimizerSettings(settings.learningRate(), 0.9, 0.999, 1e-8, settings.weightDecay(),
            settings.maxGradNorm(), settings.warmupSteps(), Math.max(1, totalSteps), settings.minLrRatio());
    this.trainer = new PolicyTrainer(model, opt);
    trainer.verifyGradients(settings.verifyGradients());
    // Padding is masked and never scored: any id in the vocabulary does.
    int padId = model.config().padTokenId().orElse(model.config().eosTokenIds().isEmpty() ? 0 : model.config().eosTokenIds().get(0));
    this.scorer = new PolicyScorer(model.network(), padId);
    this.loss = new DpoLoss(settings.beta(), settings.labelSmoothing());
  }

  /**
   * Resumes from a checkpoint written by {@link #save}: model, optimizer, schedule, counters and
   * the recent gradient norms, so the next steps are an uninterrupted run's. The trainer owns the
   * model it loads and closes it.
   *
   * @param totalSteps the schedule's length for checkpoints that did not save theirs
   */
  public static DpoTrainer resume(Path checkpoint, DpoSettings settings, int totalSteps) {
    Path stateFile = checkpoint.resolve(STATE_FILE);
    if (!Files.exists(stateFile)) {
      throw new CheckpointException(stateFile, "missing: " + checkpoint + " is not a trainer checkpoint");
    }
    LanguageModel model = LanguageModel.load(checkpoint, true);
    try {
      JsonNode state = JSON.readTree(Files.readString(stateFile));
      DpoTrainer t = new DpoTrainer(model, settings, state.path("schedule_steps").asInt(totalSteps));
      t.ownsModel = true;
      t.trainer.restoreOptimizer(checkpoint);
      t.pairsConsumed = state.path("pairs_consumed").asLong();
      t.trainedTokens = state.path("trained_tokens").asLong();
      t.streamOffset = state.path("stream_offset").asLong();
      t.epoch = state.path("epoch").asInt();
      t.skippedSteps = state.path("skipped_steps").asLong();
      double[] norms = new double[state.path("recent_grad_norms").size()];
      for (int i = 0; i < norms.length; i++) {
        norms[i] = state.path("recent_grad_norms").get(i).asDouble();
      }
      t.trainer.restoreHistory(new PolicyTrainer.History(norms, state.path("recomputed_steps").asLong(),
          state.path("spoiled_steps").asLong()));
      return t;
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e instanceof CheckpointException c ? c : new CheckpointException(stateFile, "unreadable: " + e.getMessage(), e);
    }
  }

  /**
   * One optimizer step on a batch of pairs, run in groups of at most {@code micro-batch-tokens}
   * ({@link MicroBatches}) whose gradients add up to the whole batch's.
   */
  public StepMetrics step(List<TrainingPair> batch) {
    List<MicroBatches.Group> groups = MicroBatches.split(batch, settings.microBatchTokens(), settings.prefixSharing());
    // The batch's normalizers, fixed before any group runs: each group's loss is its share.
    double weightSum = 0;
    for (TrainingPair p : batch) {
      weightSum += p.weight();
    }
    float totalWeight = (float) weightSum;
    float pairs = batch.size();
    List<LossFunction> parts = new ArrayList<>();
    for (MicroBatches.Group group : groups) {
      parts.add(nd -> part(nd, group.pairs(), group.shared(), totalWeight, pairs));
    }
    StepResult r = trainer.step(parts);
    double staleness = 0;
    for (TrainingPair p : batch) {
      staleness += trainer.stepCount() - p.policyVersion();
    }
    if (r.skipped()) {
      nanInARow++;
      skippedSteps++;
    } else {
      nanInARow = 0;
      pairsConsumed += batch.size();
      for (TrainingPair p : batch) {
        trainedTokens += p.trainedTokens();
      }
    }
    Map<String, Double> m = r.metrics();
    return new StepMetrics(r.step(), r.loss(), m.getOrDefault("dpo_loss", Double.NaN),
        m.getOrDefault("nll_loss", settings.nllWeight() > 0 ? Double.NaN : 0.0), m.getOrDefault("rewards/chosen", Double.NaN),
        m.getOrDefault("rewards/rejected", Double.NaN), m.getOrDefault("rewards/accuracies", Double.NaN),
        m.getOrDefault("logps/chosen", Double.NaN), m.getOrDefault("logps/rejected", Double.NaN), r.gradNorm(),
        r.learningRate(), pairsConsumed, trainedTokens, staleness / batch.size(), r.skipped());
  }

  /**
   * Throws once {@code max-nan-in-a-row} steps in a row were skipped for a non-finite loss or
   * gradient: the caller stops training, leaving the last checkpoint as it is.
   */
  public void checkHealthy() {
    if (nanInARow >= settings.maxNanInARow()) {
      throw new IllegalStateException(
          nanInARow + " non-finite losses in a row: training stopped (the last checkpoint is intact)");
    }
  }

  /**
   * One group's share of the step: Σ w·(DPO + λ·NLL) over its pairs ÷ the batch's Σ w, and each
   * metric's sum over its pairs ÷ the batch's pairs, so that the groups' sums are the batch's.
   */
  private LossFunction.Output part(NDManager nd, List<TrainingPair> group, boolean shared, float totalWeight,
      float batchPairs) {
    NDArray[] policy = scorer.logProbs(nd, group, shared);
    NDList pol = new NDList(policy[0], policy[1]);
    NDList ref = reference(nd, group);
    NDArray weights = weights(nd, group);
    NDArray l = Constants.div(loss.weightedSum(ref, pol, weights), totalWeight);
    Map<String, NDArray> metrics = new LinkedHashMap<>();
    metrics.put("dpo_loss", l);
    if (settings.nllWeight() > 0) {
      NDArray nll = Constants.div(nll(nd, group, policy[0], weights), totalWeight);
      metrics.put("nll_loss", nll);
      l = l.add(Constants.mul(nll, (float) settings.nllWeight()));
    }
    NDArray[] rewards = loss.rewards(ref, pol);
    metrics.put("rewards/chosen", rewards[0].sum().div(batchPairs));
    metrics.put("rewards/rejected", rewards[1].sum().div(batchPairs));
    metrics.put("rewards/accuracies",
        rewards[0].gt(rewards[1]).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).sum().div(batchPairs));
    metrics.put("logps/chosen", policy[0].sum().div(batchPairs));
    metrics.put("logps/rejected", policy[1].sum().div(batchPairs));
    return new LossFunction.Output(l, metrics);
  }

  private static NDList reference(NDManager nd, List<TrainingPair> batch) {
    float[] c = new float[batch.size()];
    float[] rj = new float[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      c[i] = (float) batch.get(i).refChosen();
      rj[i] = (float) batch.get(i).refRejected();
    }
    return new NDList(nd.create(c), nd.create(rj));
  }

  private static NDArray weights(NDManager nd, List<TrainingPair> batch) {
    float[] w = new float[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      w[i] = (float) batch.get(i).weight();
    }
    return nd.create(w);
  }

  /** Σ w · the per-token negative log-likelihood of each chosen step, weighted like the DPO term. */
  private static NDArray nll(NDManager nd, List<TrainingPair> batch, NDArray chosenLogProbs, NDArray weights) {
    float[] inv = new float[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      inv[i] = 1f / batch.get(i).chosen().length;
    }
    return chosenLogProbs.mul(nd.create(inv)).neg().mul(weights).sum();
  }

  /** Marks pairs up to {@code offset} of the stream as consumed (saved with checkpoints). */
  public void setStreamOffset(long offset) {
    this.streamOffset = offset;
  }

  /** Starts another pass over the pairs (0-based count saved with checkpoints). */
  public void setEpoch(int epoch) {
    this.epoch = epoch;
  }

  /** The pass over the pairs in progress (0-based). */
  public int epoch() {
    return epoch;
  }

  /** The stream offset saved with the last checkpoint or set since. */
  public long streamOffset() {
    return streamOffset;
  }

  /** Optimizer steps taken (the trainer's policy version). */
  public long step() {
    return trainer.stepCount();
  }

  /** The cosine schedule's length (kept across resumes). */
  public int scheduleSteps() {
    return scheduleSteps;
  }

  /** Chosen + rejected tokens trained on so far. */
  public long trainedTokens() {
    return trainedTokens;
  }

  /** Pairs trained on so far. */
  public long pairsConsumed() {
    return pairsConsumed;
  }

  /** Steps whose gradient was non-finite once and was computed again. */
  public long recomputedSteps() {
    return trainer.recomputedSteps();
  }

  /** Steps skipped for a non-finite loss or gradient. */
  public long skippedSteps() {
    return skippedSteps;
  }

  /** The optimizer, whose state a checkpoint carries (read by tests of exact resumption). */
  AdamW optimizer() {
    return trainer.optimizer();
  }

  /** The model under training. */
  public LanguageModel model() {
    return model;
  }

  /** Writes a checkpoint atomically: model, optimizer state and counters (plus {@code extra}). */
  public void save(Path dir, Map<String, Object> extra) throws IOException {
    Map<String, Object> state = new LinkedHashMap<>(extra);
    state.put("step", step());
    state.put("pairs_consumed", pairsConsumed);
    state.put("trained_tokens", trainedTokens);
    state.put("stream_offset", streamOffset);
    state.put("epoch", epoch);
    state.put("skipped_steps", skippedSteps);
    state.put("schedule_steps", scheduleSteps);
    PolicyTrainer.History h = trainer.history();
    state.put("recent_grad_norms", h.recentGradNorms());
    state.put("recomputed_steps", h.recomputedSteps());
    state.put("spoiled_steps", h.spoiledSteps());
    state.put("settings", settings);
    String json = JSON.writeValueAsString(state);
    trainer.save(dir, tmp -> Files.writeString(tmp.resolve(STATE_FILE), json));
  }

  /**
   * Marks checkpoint {@code dir} as the variant's final one: its state file is rewritten
   * atomically with {@code "finished": true}; the weights are not touched.
   */
  public static void markFinished(Path dir) throws IOException {
    Path stateFile = dir.resolve(STATE_FILE);
    com.fasterxml.jackson.databind.node.ObjectNode state =
        (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(Files.readString(stateFile));
    state.put("finished", true);
    dev.longdpo.config.files.AtomicFile.writeString(stateFile, JSON.writeValueAsString(state));
  }

  @Override
  public void close() {
    trainer.close();
    if (ownsModel) {
      model.close();
    }
  }
}
