package dev.longdpo.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.longdpo.model.LlamaConfig;
import java.util.List;

/**
 * The weights of a decoding step rearranged so that a layer runs in about 36 native calls instead
 * of about 59: per-call overhead, not arithmetic, sets the speed of a model this small.
 *
 * <ul>
 *   <li>One matrix makes queries, keys and values and their half-swapped copies: rows {@code [q·s;
 *       k; v; swap(q·s); swap(k); 0]} with the input norm's scale folded into the columns and the
 *       attention scale {@code s} into the query rows. RoPE is then {@code a·cos + b·sinSigned},
 *       one multiply and one sum over a pair axis, with {@code cos = 1, sin = 0} for the values.
 *   <li>Gate and up projections in one matrix, the post-attention norm's scale folded in.
 *   <li>The head with the final norm's scale folded in.
 * </ul>
 *
 * <p>Built without gradients from the parameters as they are; {@link LlamaModel} rebuilds it when
 * a training step or a load has changed them. The results equal the plain forward pass's up to
 * float rounding (the products are summed in another order). Projections here have no bias; one
 * with a bias (Qwen2's q, k and v) would need its bias fused the same way.
 */
final class FusedDecodeWeights implements AutoCloseable {

  final long version;
  final NDArray[] qkvPairs;
  final NDArray[] gateUp;
  final NDArray head;
  private final NDManager manager;

  FusedDecodeWeights(NDManager parent, long version, List<DecoderLayer> layers, RmsNorm finalNorm, Projection head, LlamaConfig c) {
    this.version = version;
    this.manager = parent.newSubManager();
    this.qkvPairs = new NDArray[layers.size()];
    this.gateUp = new NDArray[layers.size()];
    for (int l = 0; l < layers.size(); l++) {
      DecoderLayer layer = layers.get(l);
      SelfAttention a = layer.attention();
      // Results of ops on parameters land in the parameters' manager: each is closed or moved.
      NDArray q = a.q().weight().mul(a.scale());
      NDArray k = a.k().weight();
      NDArray v = a.v().weight();
      NDArray qSwapped = swapHalves(q, c.headDim());
      NDArray kSwapped = swapHalves(k, c.headDim());
      NDArray zeros = manager.zeros(v.getShape());
      NDArray rows = NDArrays.concat(new NDList(q, k, v, qSwapped, kSwapped, zeros), 0);
      qkvPairs[l] = owned(rows.mul(layer.inputNorm().weight()));
      closeAll(q, qSwapped, kSwapped, zeros, rows);
      SwiGluMlp mlp = layer.mlp();
      NDArray gu = NDArrays.concat(new NDList(mlp.gate().weight(), mlp.up().weight()), 0);
      gateUp[l] = owned(gu.mul(layer.postAttentionNorm().weight()));
      gu.close();
    }
    this.head = owned(head.weight().mul(finalNorm.weight()));
  }

  private NDArray owned(NDArray a) {
    a.attach(manager);
    return a;
  }

  private static void closeAll(NDArray... arrays) {
    for (NDArray a : arrays) {
      a.close();
    }
  }

  /** Swaps the two halves of each head's rows: {@code [heads·D, in]}. */
  private static NDArray swapHalves(NDArray w, int headDim) {
    Shape s = w.getShape();
    long heads = s.get(0) / headDim;
    NDArray view = w.reshape(heads, 2, headDim / 2, s.get(1));
    NDArray flipped = view.flip(1);
    NDArray swapped = flipped.reshape(s);
    closeAll(view, flipped);
    return swapped;
  }

  @Override
  public void close() {
    manager.close();
  }
}
