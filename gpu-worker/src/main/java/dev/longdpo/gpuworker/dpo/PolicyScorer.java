package dev.longdpo.gpuworker.dpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.longdpo.model.nn.AttentionContext;
import dev.longdpo.model.nn.LlamaModel;
import dev.longdpo.model.nn.Masks;
import dev.longdpo.model.nn.SelfOnlyKv;
import dev.longdpo.model.train.SequenceBatch;
import dev.longdpo.model.train.TokenLogProbs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The policy's summed log-probs of each pair's chosen and rejected steps given the shared prefix,
 * over the steps' tokens only (the prefix is masked), recording the graph for the backward pass.
 *
 * <p>Two ways, same numbers: the plain path runs prefix + chosen and prefix + rejected as two
 * sequences; the shared path packs prefix, chosen and rejected into one sequence whose mask keeps
 * the two steps apart, so each prefix runs once. At prefix:step = 8:1 the shared path computes 10
 * units of work instead of 18 (attention a little more, being quadratic in the packed length).
 *
 * <p>An earlier shared path ran the prefix alone and both steps against its cached keys and
 * values; its gradients were intermittently non-finite in PyTorch's CPU backward (about one batch
 * in 15 of real search pairs), while the packed pass matches the plain path to float rounding.
 */
public final class PolicyScorer {

  private final LlamaModel model;
  private final int padId;

  /** A scorer for {@code model}; {@code padId} fills padding (never attended to, never scored). */
  public PolicyScorer(LlamaModel model, int padId) {
    this.model = model;
    this.padId = padId;
  }

  /**
   * @return {@code {chosen, rejected}}, each {@code [B]}, in the graph
   */
  public NDArray[] logProbs(NDManager nd, List<TrainingPair> pairs, boolean shared) {
    return shared ? sharedPrefix(nd, pairs) : plain(nd, pairs);
  }

  private NDArray[] plain(NDManager nd, List<TrainingPair> pairs) {
    List<int[]> seqs = new ArrayList<>();
    int[] first = new int[pairs.size() * 2];
    for (int i = 0; i < pairs.size(); i++) {
      TrainingPair p = pairs.get(i);
      seqs.add(concat(p.prefix(), p.chosen()));
      seqs.add(concat(p.prefix(), p.rejected()));
      first[2 * i] = p.prefix().length;
      first[2 * i + 1] = p.prefix().length;
    }
    NDArray[] lp = TokenLogProbs.compute(model, nd, SequenceBatch.of(seqs, first, padId));
    NDArray sums = lp[0].sum(new int[] {1}).reshape(pairs.size(), 2);
    return new NDArray[] {sums.get(":, 0"), sums.get(":, 1")};
  }

  /**
   * One sequence per pair: prefix, then chosen, then rejected, with a mask under which the
   * rejected tokens see the prefix and themselves but not the chosen ones, and positions that
   * restart after the prefix for both steps. Row i, right-padded to the longest pair (a padding
   * slot sees only itself, so no row is fully masked).
   */
  private NDArray[] sharedPrefix(NDManager nd, List<TrainingPair> pairs) {
    int b = pairs.size();
    int len = 0;
    for (TrainingPair x : pairs) {
      len = Math.max(len, x.prefix().length + x.chosen().length + x.rejected().length);
    }
    long[] ids = new long[b * len];
    int[] positions = new int[b * len];
    float[] mask = new float[b * len * len];
    Arrays.fill(mask, Masks.BLOCKED);
    // Log-probs are gathered twice from the same logits: the chosen stream and the rejected
    // stream, since the prefix's last slot predicts the first token of both.
    long[] chosenTargets = new long[b * len];
    float[] chosenWeights = new float[b * len];
    long[] rejectedTargets = new long[b * len];
    float[] rejectedWeights = new float[b * len];
    for (int i = 0; i < b; i++) {
      TrainingPair x = pairs.get(i);
      int p = x.prefix().length;
      int c = x.chosen().length;
      int r = x.rejected().length;
      int row = i * len;
      for (int a = 0; a < len; a++) {
        Segment seg = a < p ? Segment.PREFIX : a < p + c ? Segment.CHOSEN : a < p + c + r ? Segment.REJECTED : Segment.PAD;
        ids[row + a] = switch (seg) {
          case PREFIX -> x.prefix()[a];
          case CHOSEN -> x.chosen()[a - p];
          case REJECTED -> x.rejected()[a - p - c];
          case PAD -> padId;
        };
        positions[row + a] = seg == Segment.REJECTED ? a - c : seg == Segment.PAD ? 0 : a;
        int maskRow = (row + a) * len;
        for (int s = 0; s <= a; s++) {
          boolean visible = switch (seg) {
            case PREFIX -> true;
            case CHOSEN -> s < p + c;
            case REJECTED -> s < p || s >= p + c;
            case PAD -> s == a;
          };
          if (visible) {
            mask[maskRow + s] = 0f;
          }
        }
      }
      for (int j = 0; j < c; j++) {
        chosenTargets[row + p + j - 1] = x.chosen()[j];
        chosenWeights[row + p + j - 1] = 1f;
      }
      rejectedTargets[row + p - 1] = x.rejected()[0];
      rejectedWeights[row + p - 1] = 1f;
      for (int j = 1; j < r; j++) {
        rejectedTargets[row + p + c + j - 1] = x.rejected()[j];
        rejectedWeights[row + p + c + j - 1] = 1f;
      }
    }
    NDArray[] tables = model.rotary().tables(nd, positions, b, len);
    AttentionContext ctx = new AttentionContext(tables[0], tables[1], nd.create(mask, new Shape(b, 1, 1, len, len)),
        new SelfOnlyKv(model.config().numHiddenLayers()));
    NDArray logits = model.logits(model.hidden(nd.create(ids, new Shape(b, len)), ctx));
    NDArray logProbs = logits.logSoftmax(2);
    logits.close(); // [B, T, vocab]: autograd keeps what it needs (the log-softmax's output)
    return new NDArray[] {
      stream(nd, logProbs, chosenTargets, chosenWeights, b, len),
      stream(nd, logProbs, rejectedTargets, rejectedWeights, b, len)
    };
  }

  private enum Segment { PREFIX, CHOSEN, REJECTED, PAD }

  private static NDArray stream(NDManager nd, NDArray logProbs, long[] targets, float[] weights, int b, int len) {
    return logProbs.gather(nd.create(targets, new Shape(b, len, 1)), 2)
        .reshape(b, len)
        .mul(nd.create(weights, new Shape(b, len)))
        .sum(new int[] {1});
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
