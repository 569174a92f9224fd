package dev.longdpo.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** The token embedding table, {@code [vocab, hidden]}; looks up rows by token id. */
public final class TokenEmbedding extends AbstractBlock {

  private static final byte VERSION = 1;

  private final Parameter weight;
  private final long hidden;

  TokenEmbedding(ParameterRegistry registry, String hfName, long vocab, long hidden) {
    super(VERSION);
    this.hidden = hidden;
    this.weight =
        addParameter(
            registry.create(hfName + ".weight", new long[] {vocab, hidden}, WeightSource.Kind.MATRIX));
  }

  /** Looks up {@code ids} (int64, any shape); the result lives in {@code ids}' manager. */
  public NDArray apply(NDArray ids) {
    return ids.getNDArrayInternal()
        .embedding(ids, weight.getArray(), SparseFormat.DENSE)
        .singletonOrThrow();
  }

  Parameter weightParameter() {
    return weight;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(apply(inputs.singletonOrThrow()));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0].add(hidden)};
  }
}
