package dev.longdpo.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.longdpo.model.LlamaConfig;

/** One pre-norm decoder layer: attention and MLP, each with a residual connection. */
public final class DecoderLayer extends AbstractBlock {

  private static final byte VERSION = 1;

  private final int index;
  private final RmsNorm inputNorm;
  private final SelfAttention attention;
  private final RmsNorm postAttentionNorm;
  private final SwiGluMlp mlp;

  DecoderLayer(ParameterRegistry registry, int index, LlamaConfig c) {
    super(VERSION);
    this.index = index;
    String prefix = "model.layers." + index;
    inputNorm = addChildBlock("input_layernorm", new RmsNorm(registry, prefix + ".input_layernorm", c.hiddenSize(), c.rmsNormEps()));
    attention = addChildBlock("self_attn", new SelfAttention(registry, prefix + ".self_attn", c));
    postAttentionNorm = addChildBlock("post_attention_layernorm", new RmsNorm(registry, prefix + ".post_attention_layernorm", c.hiddenSize(), c.rmsNormEps()));
    mlp = addChildBlock("mlp", new SwiGluMlp(registry, prefix + ".mlp", c.hiddenSize(), c.intermediateSize()));
  }

  /** norm → attention → residual → norm → MLP → residual. */
  public NDArray apply(NDArray x, AttentionContext ctx) {
    NDArray h = x.add(attention.apply(inputNorm.apply(x), index, ctx));
    return h.add(mlp.apply(postAttentionNorm.apply(h)));
  }

  RmsNorm inputNorm() {
    return inputNorm;
  }

  SelfAttention attention() {
    return attention;
  }

  RmsNorm postAttentionNorm() {
    return postAttentionNorm;
  }

  SwiGluMlp mlp() {
    return mlp;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    throw new UnsupportedOperationException(
        "a decoder layer needs positions and a mask: call LlamaModel.forward");
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return inputShapes;
  }
}
