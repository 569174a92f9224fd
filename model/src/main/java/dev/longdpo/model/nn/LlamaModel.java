package dev.longdpo.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.longdpo.model.LlamaConfig;
import dev.longdpo.model.runtime.DjlRuntime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

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
  private final NDManager manager;
  private final AtomicLong weightsVersion = new AtomicLong();
  private FusedDecodeWeights fused;

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
    this.manager = manager;
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

  /**
   * Says that parameters were changed in place (an optimizer step, a load), so that arrays derived
   * from them are rebuilt before their next use.
   */
  public void weightsChanged() {
    weightsVersion.incrementAndGet();
  }

  /**
   * One decoding step: a token per row through the decoder and the head, with fused weights (see
   * {@link FusedDecodeWeights}). Same function as {@link #hidden} and {@link #logits} for one
   * token, up to float rounding. Call it without gradients.
   *
   * @param ids int64 {@code [B, 1]}; intermediates live in its manager
   * @param positions each row's position
   * @param mask additive, broadcastable to {@code [B, kvHeads, groups, S]}: {@code [B, 1, 1, S]}
   * @param kv where the step's keys and values go
   * @return logits {@code [B, vocab]}
   */
  public NDArray decodeLogits(NDArray ids, int[] positions, NDArray mask, DecodeKv kv) {
    FusedDecodeWeights w = decodeWeights();
    int b = positions.length;
    int heads = config.numAttentionHeads();
    int kvHeads = config.numKeyValueHeads();
    int d = config.headDim();
    NDArray pairs = rotary.decodePairs(ids.getManager(), positions, heads, kvHeads);
    NDArray x = embedding.apply(ids).reshape(b, config.hiddenSize());
    for (int l = 0; l < layers.size(); l++) {
      DecoderLayer layer = layers.get(l);
      NDArray projected = linear(unitRms(x, layer.inputNorm().eps()), w.qkvPairs[l])
          .reshape(b, 2, heads + 2 * kvHeads, d);
      NDList qkv = projected.mul(pairs).sum(new int[] {1}).split(new long[] {heads, heads + kvHeads}, 1);
      NDArray[] kvs = kv.write(l, qkv.get(1), qkv.get(2));
      // A contiguous copy of the split's strided view: the batched product reads it per key slot.
      NDArray queries = qkv.get(0).duplicate().reshape(b, kvHeads, heads / kvHeads, d);
      NDArray probs = queries.matMul(kvs[0].transpose(0, 1, 3, 2)).add(mask).softmax(3);
      NDArray attended = probs.matMul(kvs[1]).reshape(b, (long) heads * d);
      x = x.add(layer.attention().o().apply(attended));
      NDList gateUp = linear(unitRms(x, layer.postAttentionNorm().eps()), w.gateUp[l]).split(2, 1);
      NDArray gate = gateUp.get(0);
      NDArray mixed = gate.mul(Activation.sigmoid(gate)).mul(gateUp.get(1));
      x = x.add(layer.mlp().down().apply(mixed));
    }
    return linear(unitRms(x, norm.eps()), w.head);
  }

  private static NDArray linear(NDArray x, NDArray weight) {
    return x.getNDArrayInternal().linear(x, weight, null).singletonOrThrow();
  }

  /** {@code x / sqrt(mean(x²) + eps)} over the last axis: RMSNorm before its scale. */
  private static NDArray unitRms(NDArray x, float eps) {
    int last = x.getShape().dimension() - 1;
    return x.div(x.square().mean(new int[] {last}, true).add(eps).sqrt());
  }

  /**
   * The fused weights of the parameters as they are now. Closing the old ones is safe: parameters
   * change only in a training step, which holds {@code GradientLock}'s exclusive side, and every
   * decoding step holds its shared side, so no step that began before the change is still running.
   */
  private synchronized FusedDecodeWeights decodeWeights() {
    long version = weightsVersion.get();
    if (fused == null || fused.version != version) {
      if (fused != null) {
        fused.close();
      }
      fused = DjlRuntime.withoutGrad(() -> new FusedDecodeWeights(manager, version, layers, norm, head, config));
    }
    return fused;
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
