package dev.longdpo.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.longdpo.model.nn.LlamaModel;
import dev.longdpo.model.nn.SelfOnlyKv;

/** Per-token log-probs of a batch's targets under a model: the core of every training loss. */
public final class TokenLogProbs {

  private TokenLogProbs() {}

  /**
   * A masked forward over a padded batch.
   *
   * @param manager owns every intermediate (a per-step manager)
   * @return {@code {logProbs, mask}}: log-prob of token t+1 given tokens ≤ t, {@code [B, T-1]},
   *     already multiplied by the mask (0 where it does not count), and the mask itself
   */
  public static NDArray[] compute(LlamaModel model, NDManager manager, SequenceBatch batch) {
    int b = batch.batch();
    int t = batch.length();
    NDArray ids = manager.create(batch.ids(), new Shape(b, t));
    NDArray inputs = ids.get(new NDIndex(":, :{}", t - 1));
    NDArray targets = ids.get(new NDIndex(":, 1:")).expandDims(2);
    NDArray mask = manager.create(batch.targetMask(), new Shape(b, t - 1));
    var ctx = model.causalContext(manager, b, t - 1, 0, new SelfOnlyKv(model.config().numHiddenLayers()));
    NDArray logits = model.logits(model.hidden(inputs, ctx));
    NDArray all = logits.logSoftmax(2);
    logits.close(); // [B, T, vocab]: autograd keeps what it needs (the log-softmax's output)
    NDArray logProbs = all.gather(targets, 2).squeeze(2);
    return new NDArray[] {logProbs.mul(mask), mask};
  }
}
