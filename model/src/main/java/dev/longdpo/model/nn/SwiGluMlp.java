package dev.longdpo.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** The gated MLP, {@code down(silu(gate(x)) * up(x))}, as Hugging Face's {@code LlamaMLP}. */
public final class SwiGluMlp extends AbstractBlock {

  private static final byte VERSION = 1;

  private final Projection gate;
  private final Projection up;
  private final Projection down;

  SwiGluMlp(ParameterRegistry registry, String prefix, long hidden, long intermediate) {
    super(VERSION);
    gate = addChildBlock("gate_proj", new Projection(registry, prefix + ".gate_proj", intermediate, hidden));
    up = addChildBlock("up_proj", new Projection(registry, prefix + ".up_proj", intermediate, hidden));
    down = addChildBlock("down_proj", new Projection(registry, prefix + ".down_proj", hidden, intermediate));
  }

  /** Applies the MLP to the last axis of {@code x}. */
  public NDArray apply(NDArray x) {
    NDArray g = gate.apply(x);
    NDArray silu = g.mul(Activation.sigmoid(g));
    return down.apply(silu.mul(up.apply(x)));
  }

  Projection gate() {
    return gate;
  }

  Projection up() {
    return up;
  }

  Projection down() {
    return down;
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
