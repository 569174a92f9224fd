package dev.longdpo.model.checkpoint;

import java.util.Arrays;

/**
 * A float32 tensor in Java memory: the unit of checkpoint reading and writing.
 *
 * <p>Holds an array, so equality is by content ({@link #equals}) rather than a record's identity
 * comparison.
 *
 * @param shape dimensions, outermost first
 * @param data values in row-major order; {@code data.length} is the product of {@code shape}
 */
public record HostTensor(long[] shape, float[] data) {

  /** Checks that the data fits the shape. */
  public HostTensor {
    long n = elementCount(shape);
    if (n != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
    }
  }

  /** Product of the dimensions. */
  public static long elementCount(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HostTensor t
        && Arrays.equals(shape, t.shape)
        && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "HostTensor" + Arrays.toString(shape);
  }
}
