package dev.longdpo.model.nn;

import dev.longdpo.model.checkpoint.HostTensor;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Hugging Face's Llama initialization, reproducible from a seed: matrices from N(0, std²)
 * ({@code initializer_range}, 0.02 by default), RMSNorm scales at one.
 *
 * <p>Each parameter draws from its own generator seeded by the model seed and the parameter's
 * name, so the values do not depend on the order parameters are created in. {@link Random}'s
 * Gaussian is specified bit for bit, so the same seed gives the same model on every JVM.
 */
public final class SeededWeights implements WeightSource {

  private final long seed;
  private final double std;

  /** Initializes with standard deviation 0.02. */
  public SeededWeights(long seed) {
    this(seed, 0.02);
  }

  /** Initializes matrices with the given standard deviation. */
  public SeededWeights(long seed, double std) {
    this.seed = seed;
    this.std = std;
  }

  @Override
  public HostTensor get(String name, long[] shape, Kind kind) {
    float[] data = new float[Math.toIntExact(HostTensor.elementCount(shape))];
    if (kind == Kind.NORM_SCALE) {
      java.util.Arrays.fill(data, 1f);
    } else {
      Random random = new Random(mix(seed, name));
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) (random.nextGaussian() * std);
      }
    }
    return new HostTensor(shape.clone(), data);
  }

  private static long mix(long seed, String name) {
    long h = 0xcbf29ce484222325L ^ seed;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ b) * 0x100000001b3L;
    }
    return h;
  }
}
