package dev.longdpo.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The architecture of a Llama-family causal language model, with Hugging Face's field meanings.
 *
 * @param vocabSize number of token ids
 * @param hiddenSize width of the residual stream
 * @param intermediateSize width of the SwiGLU MLP
 * @param numHiddenLayers decoder layers
 * @param numAttentionHeads query heads
 * @param numKeyValueHeads key/value heads (grouped-query attention); divides the query heads
 * @param headDim width of one head; {@code hiddenSize / numAttentionHeads} unless the file says
 * @param rmsNormEps epsilon inside RMSNorm's square root
 * @param ropeTheta base of the rotary position embedding's frequencies
 * @param ropeScaling optional {@code rope_scaling} ("linear" or "llama3"), kept as read
 * @param maxPositionEmbeddings longest sequence the model is meant to see
 * @param tieWordEmbeddings whether the LM head reuses the token embedding matrix
 * @param bosTokenId beginning-of-sequence id, if any
 * @param eosTokenIds end-of-sequence ids (Hugging Face allows one or a list)
 * @param padTokenId padding id, if any
 * @param torchDtype dtype the weights were stored in ("float32", "bfloat16", "float16")
 * @param extra other fields of config.json, written back unchanged on save
 */
public record LlamaConfig(
    int vocabSize,
    int hiddenSize,
    int intermediateSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int numKeyValueHeads,
    int headDim,
    double rmsNormEps,
    double ropeTheta,
    Optional<Map<String, Object>> ropeScaling,
    int maxPositionEmbeddings,
    boolean tieWordEmbeddings,
    Optional<Integer> bosTokenId,
    List<Integer> eosTokenIds,
    Optional<Integer> padTokenId,
    String torchDtype,
    Map<String, Object> extra) {

  /** Validates the shape constraints every other part of the model relies on. */
  public LlamaConfig {
    eosTokenIds = List.copyOf(eosTokenIds);
    extra = Map.copyOf(extra);
    requirePositive("vocab_size", vocabSize);
    requirePositive("hidden_size", hiddenSize);
    requirePositive("intermediate_size", intermediateSize);
    requirePositive("num_hidden_layers", numHiddenLayers);
    requirePositive("num_attention_heads", numAttentionHeads);
    requirePositive("num_key_value_heads", numKeyValueHeads);
    requirePositive("head_dim", headDim);
    requirePositive("max_position_embeddings", maxPositionEmbeddings);
    if (numAttentionHeads % numKeyValueHeads != 0) {
      throw new IllegalArgumentException(
          "num_key_value_heads: "
              + numKeyValueHeads
              + " does not divide num_attention_heads "
              + numAttentionHeads);
    }
    if (headDim % 2 != 0) {
      throw new IllegalArgumentException("head_dim: " + headDim + " must be even for RoPE");
    }
    if (!(rmsNormEps > 0)) {
      throw new IllegalArgumentException("rms_norm_eps: " + rmsNormEps + " must be > 0");
    }
    if (!(ropeTheta > 0)) {
      throw new IllegalArgumentException("rope_theta: " + ropeTheta + " must be > 0");
    }
  }

  /**
   * A config with Llama defaults for everything but the shape.
   *
   * @return a float32 config with untied embeddings, no special token ids, rope_theta 10000
   */
  public static LlamaConfig of(
      int vocabSize,
      int hiddenSize,
      int intermediateSize,
      int numHiddenLayers,
      int numAttentionHeads,
      int numKeyValueHeads,
      int maxPositionEmbeddings) {
    if (numAttentionHeads <= 0 || hiddenSize % numAttentionHeads != 0) {
      throw new IllegalArgumentException(
          "num_attention_heads: " + numAttentionHeads + " does not divide hidden_size " + hiddenSize);
    }
    return new LlamaConfig(
        vocabSize,
        hiddenSize,
        intermediateSize,
        numHiddenLayers,
        numAttentionHeads,
        numKeyValueHeads,
        hiddenSize / numAttentionHeads,
        1e-6,
        10000.0,
        Optional.empty(),
        maxPositionEmbeddings,
        false,
        Optional.empty(),
        List.of(),
        Optional.empty(),
        "float32",
        Map.of());
  }

  /** Query heads that share one key/value head. */
  public int groupSize() {
    return numAttentionHeads / numKeyValueHeads;
  }

  /** Total number of parameters, counting a tied head once. */
  public long parameterCount() {
    long h = hiddenSize;
    long attention = h * numAttentionHeads * headDim * 2L + h * numKeyValueHeads * headDim * 2L;
    long mlp = 3L * h * intermediateSize;
    long perLayer = attention + mlp + 2L * h;
    long embed = (long) vocabSize * h;
    return embed + (tieWordEmbeddings ? 0 : embed) + numHiddenLayers * perLayer + h;
  }

  /** A copy with other special token ids. */
  public LlamaConfig withSpecialTokens(
      Optional<Integer> bos, List<Integer> eos, Optional<Integer> pad) {
    return new LlamaConfig(
        vocabSize,
        hiddenSize,
        intermediateSize,
        numHiddenLayers,
        numAttentionHeads,
        numKeyValueHeads,
        headDim,
        rmsNormEps,
        ropeTheta,
        ropeScaling,
        maxPositionEmbeddings,
        tieWordEmbeddings,
        bos,
        eos,
        pad,
        torchDtype,
        extra);
  }

  /** A copy with tied or untied embeddings. */
  public LlamaConfig withTiedEmbeddings(boolean tied) {
    return new LlamaConfig(
        vocabSize,
        hiddenSize,
        intermediateSize,
        numHiddenLayers,
        numAttentionHeads,
        numKeyValueHeads,
        headDim,
        rmsNormEps,
        ropeTheta,
        ropeScaling,
        maxPositionEmbeddings,
        tied,
        bosTokenId,
        eosTokenIds,
        padTokenId,
        torchDtype,
        extra);
  }

  /** A copy with another RoPE base. */
  public LlamaConfig withRopeTheta(double theta) {
    return new LlamaConfig(
        vocabSize,
        hiddenSize,
        intermediateSize,
        numHiddenLayers,
        numAttentionHeads,
        numKeyValueHeads,
        headDim,
        rmsNormEps,
        theta,
        ropeScaling,
        maxPositionEmbeddings,
        tieWordEmbeddings,
        bosTokenId,
        eosTokenIds,
        padTokenId,
        torchDtype,
        extra);
  }

  private static void requirePositive(String field, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + ": " + value + " must be > 0");
    }
  }
}
