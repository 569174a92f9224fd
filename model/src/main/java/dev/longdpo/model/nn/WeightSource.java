package dev.longdpo.model.nn;

import dev.longdpo.model.checkpoint.HostTensor;

/** Where a model's initial parameter values come from: a checkpoint or a seeded initializer. */
@FunctionalInterface
public interface WeightSource {

  /**
   * The values of one parameter.
   *
   * @param name the Hugging Face parameter name, e.g. {@code model.layers.0.mlp.up_proj.weight}
   * @param shape the shape the architecture needs; implementations reject any other
   * @param kind what the parameter is, so an initializer can pick a distribution
   */
  HostTensor get(String name, long[] shape, Kind kind);

  /** The role of a parameter, for initialization. */
  enum Kind {
    /** A projection matrix or embedding table. */
    MATRIX,
    /** An RMSNorm scale, one per channel. */
    NORM_SCALE
  }
}
