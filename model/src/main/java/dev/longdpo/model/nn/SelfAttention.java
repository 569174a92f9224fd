package dev.longdpo.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.longdpo.model.LlamaConfig;

/**
 * Grouped-query causal self-attention with rotary positions, as Hugging Face's {@code
 * LlamaAttention}.
 *
 * <p>Instead of repeating each key/value head for its group of query heads (a copy of the whole
 * cache per step), the queries of a group are stacked along the time axis: queries {@code [B,
 * kvHeads, G·T, D]} against keys {@code [B, kvHeads, S, D]} give the same scores with no copy. This
 * keeps decoding cost flat in the cache length.
 */
public final class SelfAttention extends AbstractBlock {

  private static final byte VERSION = 1;

  private final Projection q;
  private final Projection k;
  private final Projection v;
  private final Projection o;
  private final int heads;
  private final int kvHeads;
  private final int headDim;
  private final float scale;

  SelfAttention(ParameterRegistry registry, String prefix, LlamaConfig c) {
    super(VERSION);
    this.heads = c.numAttentionHeads();
    this.kvHeads = c.numKeyValueHeads();
    this.headDim = c.headDim();
    this.scale = (float) (1.0 / Math.sqrt(headDim));
    long hidden = c.hiddenSize();
    q = addChildBlock("q_proj", new Projection(registry, prefix + ".q_proj", (long) heads * headDim, hidden));
    k = addChildBlock("k_proj", new Projection(registry, prefix + ".k_proj", (long) kvHeads * headDim, hidden));
    v = addChildBlock("v_proj", new Projection(registry, prefix + ".v_proj", (long) kvHeads * headDim, hidden));
    o = addChildBlock("o_proj", new Projection(registry, prefix + ".o_proj", hidden, (long) heads * headDim));
  }

  /**
   * Attends from {@code x} ({@code [B, T, hidden]}, already normalized) to the context.
   *
   * @param layer index of this layer, for the key/value store
   */
  public NDArray apply(NDArray x, int layer, AttentionContext ctx) {
    Shape s = x.getShape();
    long b = s.get(0);
    long t = s.get(1);
    int g = heads / kvHeads;

    NDArray queries = RotaryTable.rotate(q.apply(x).reshape(b, t, heads, headDim), ctx.cos(), ctx.sinSigned());
    NDArray keys = RotaryTable.rotate(k.apply(x).reshape(b, t, kvHeads, headDim), ctx.cos(), ctx.sinSigned());
    NDArray values = v.apply(x).reshape(b, t, kvHeads, headDim);

    // [B, T, KVH, G, D] -> [B, KVH, G, T, D] -> [B, KVH, G*T, D]
    queries = queries.reshape(b, t, kvHeads, g, headDim).transpose(0, 2, 3, 1, 4).reshape(b, kvHeads, g * t, headDim);
    NDArray[] kv = ctx.kv().append(layer, keys.transpose(0, 2, 1, 3), values.transpose(0, 2, 1, 3));
    long sLen = kv[0].getShape().get(2);

    // The [B, heads, T, S] arrays are the largest of a forward pass. Each is closed as soon as the
    // next is made: a manager would keep all four until it closes, and autograd keeps on its own
    // what the backward pass needs (the softmax's output).
    NDArray raw = queries.matMul(kv[0].transpose(0, 1, 3, 2));
    NDArray scores = Constants.mul(raw, scale);
    raw.close();
    NDArray masked = scores.reshape(b, kvHeads, g, t, sLen).add(ctx.mask());
    scores.close();
    NDArray probs = masked.softmax(4).reshape(b, kvHeads, g * t, sLen);
    masked.close();
    NDArray out = probs.matMul(kv[1]) // [B, KVH, G*T, D]
        .reshape(b, kvHeads, g, t, headDim)
        .transpose(0, 3, 1, 2, 4)
        .reshape(b, t, (long) heads * headDim);
    return o.apply(out);
  }

  Projection q() {
    return q;
  }

  Projection k() {
    return k;
  }

  Projection v() {
    return v;
  }

  Projection o() {
    return o;
  }

  float scale() {
    return scale;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    throw new UnsupportedOperationException(
        "attention needs positions and a mask: call LlamaModel.forward, which supplies them");
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return inputShapes;
  }
}
