package dev.longdpo.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** A linear map without bias, {@code y = x W^T}, as Hugging Face's {@code nn.Linear(bias=False)}. */
public final class Projection extends AbstractBlock {

  private static final byte VERSION = 1;

  private final Parameter weight;
  private final long outFeatures;

  Projection(ParameterRegistry registry, String hfName, long outFeatures, long inFeatures) {
    super(VERSION);
    this.outFeatures = outFeatures;
    this.weight =
        addParameter(
            registry.create(
                hfName + ".weight", new long[] {outFeatures, inFeatures}, WeightSource.Kind.MATRIX));
  }

  /** Wraps an existing weight, for a head tied to the embedding. */
  Projection(Parameter tiedWeight) {
    super(VERSION);
    this.weight = tiedWeight;
    this.outFeatures = tiedWeight.getArray().getShape().get(0);
  }

  /** Applies the map to the last axis of {@code x}; the result lives in {@code x}'s manager. */
  public NDArray apply(NDArray x) {
    return x.getNDArrayInternal().linear(x, weight.getArray(), null).singletonOrThrow();
  }

  /** The weight, shape {@code [out, in]}. */
  public NDArray weight() {
    return weight.getArray();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(apply(inputs.singletonOrThrow()));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {in.slice(0, in.dimension() - 1).add(outFeatures)};
  }
}
