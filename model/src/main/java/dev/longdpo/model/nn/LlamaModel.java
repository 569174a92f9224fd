package dev.longdpo.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.longdpo.model.LlamaConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Hugging Face's {@code LlamaForCausalLM} as a DJL block: token embedding, decoder layers, final
 * RMSNorm and LM head (optionally tied to the embedding).
 *
 * <p>All parameters are created at construction from a {@link WeightSource}, in the manager given;
 * the block is never "initialized" by DJL's initializers. Intermediate arrays of a forward pass
 * live in the manager of the input ids, so callers scope a pass with a sub-manager.
 */
public final class LlamaModel extends AbstractBlock {

  private static final byte VERSION = 1;

  private final LlamaConfig config;
  private final TokenEmbedding embedding;
  private final List<DecoderLayer> layers;
  private final RmsNorm norm;
  private final Projection head;
  private final RotaryTable rotary;
  private final Map<String, Parameter> parameters;

  /**
   * Builds the model with every parameter's values taken from {@code weights}.
   *
   * @param manager owns the parameters for the model's lifetime
   */
  public LlamaModel(LlamaConfig config, NDManager manager, WeightSource weights) {
    super(VERSION);
    this.config = config;
    ParameterRegistry registry = new ParameterRegistry(manager, weights);
    embedding =
        addChildBlock(
            "embed_tokens",
            new TokenEmbedding(registry, "model.embed_tokens", config.vocabSize(), config.hiddenSize()));
    List<DecoderLayer> list = new ArrayList<>();
    for (int i = 0; i < config.numHiddenLayers(); i++) {
      list.add(addChildBlock("layers_" + i, new DecoderLayer(registry, i, config)));
    }
    layers = Collections.unmodifiableList(list);
    norm = addChildBlock("norm", new RmsNorm(registry, "model.norm", config.hiddenSize(), config.rmsNormEps()));
    head =
        addChildBlock(
            "lm_head",
            config.tieWordEmbeddings()
                ? new Projection(embedding.weightParameter())
                : new Projection(registry, "lm_head", config.vocabSize(), config.hiddenSize()));
    rotary = new RotaryTable(config);
    parameters = registry.parameters();
  }

  /** The architecture. */
  public LlamaConfig config() {
    return config;
  }

  /** RoPE tables for building contexts. */
  public RotaryTable rotary() {
    return rotary;
  }

  /**
   * Every distinct parameter by Hugging Face name, in {@code state_dict} order. A tied head is not
   * listed separately: it is {@code model.embed_tokens.weight}.
   */
  public Map<String, Parameter> namedParameters() {
    return parameters;
  }

  /**
   * Runs the decoder stack and the final norm.
   *
   * @param ids token ids, int64 {@code [B, T]}; intermediates live in its manager
   * @return hidden states {@code [B, T, hidden]}
   */
  public NDArray hidden(NDArray ids, AttentionContext ctx) {
    NDArray x = embedding.apply(ids);
    for (DecoderLayer layer : layers) {
      x = layer.apply(x, ctx);
    }
    return norm.apply(x);
  }

  /** Projects hidden states to vocabulary logits. */
  public NDArray logits(NDArray hidden) {
    return head.apply(hidden);
  }

  /**
   * A context for a plain causal pass over {@code time} tokens at positions {@code past ..}.
   *
   * @param manager owner of the tables and mask (the pass's manager)
   * @param batch rows, all at the same positions
   */
  public AttentionContext causalContext(NDManager manager, int batch, int time, int past, KvStore kv) {
    int[] positions = new int[batch * time];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < time; t++) {
        positions[b * time + t] = past + t;
      }
    }
    NDArray[] tables = rotary.tables(manager, positions, batch, time);
    return new AttentionContext(tables[0], tables[1], Masks.causal(manager, time, past), kv);
  }

  /** Input: ids {@code [B, T]}; output: logits {@code [B, T, vocab]} of a causal pass. */
  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray ids = inputs.singletonOrThrow();
    Shape s = ids.getShape();
    AttentionContext ctx =
        causalContext(
            ids.getManager(), (int) s.get(0), (int) s.get(1), 0, new SelfOnlyKv(layers.size()));
    return new NDList(logits(hidden(ids, ctx)));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0].add(config.vocabSize())};
  }
}
