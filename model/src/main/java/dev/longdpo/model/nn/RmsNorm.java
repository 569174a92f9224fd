package dev.longdpo.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Root-mean-square normalization, \(y = x / \sqrt{\mathrm{mean}(x^2) + \epsilon} \cdot w\), computed
 * in float32 and then scaled by the weight, as Hugging Face's {@code LlamaRMSNorm}.
 */
public final class RmsNorm extends AbstractBlock {

  private static final byte VERSION = 1;

  private final Parameter weight;
  private final float eps;

  RmsNorm(ParameterRegistry registry, String hfName, long size, double eps) {
    super(VERSION);
    this.eps = (float) eps;
    this.weight =
        addParameter(
            registry.create(hfName + ".weight", new long[] {size}, WeightSource.Kind.NORM_SCALE));
  }

  /** Normalizes the last axis of {@code x}. */
  public NDArray apply(NDArray x) {
    int last = x.getShape().dimension() - 1;
    NDArray variance = x.square().mean(new int[] {last}, true);
    return x.div(variance.add(eps).sqrt()).mul(weight.getArray());
  }

  /** The scale, {@code [size]}. */
  NDArray weight() {
    return weight.getArray();
  }

  /** The epsilon added to the mean square. */
  float eps() {
    return eps;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(apply(inputs.singletonOrThrow()));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return inputShapes;
  }
}
