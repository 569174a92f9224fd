package dev.longdpo.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a constant, for anything autograd differentiates. Never DJL's {@code
 * mul(Number)} or {@code div(Number)} there: they wrap the number in a tensor over a Java direct
 * buffer and close it right after the operation, while autograd keeps that tensor for the backward
 * pass. Once a garbage collection frees the buffer, the backward pass reads freed memory: the
 * gradient comes out wrong (often not finite) while the loss is right, more often the more often
 * the heap is collected (docs/reproducibility.md). The constants here live in memory PyTorch owns.
 */
public final class Constants {

  private Constants() {}

  /** {@code x · c}, with the same bits as DJL's {@code x.mul(c)}. */
  public static NDArray mul(NDArray x, float c) {
    try (NDArray k = scalar(x, c)) {
      return x.mul(k);
    }
  }

  /** {@code x / c}, with the same bits as DJL's {@code x.div(c)}. */
  public static NDArray div(NDArray x, float c) {
    try (NDArray k = scalar(x, c)) {
      return x.div(k);
    }
  }

  /** A 0-d float32 tensor of {@code c}, allocated by PyTorch, in {@code like}'s manager. */
  private static NDArray scalar(NDArray like, float c) {
    return like.getManager().full(new Shape(), c, DataType.FLOAT32);
  }
}
