package dev.longdpo.model.checkpoint;

import java.nio.ByteBuffer;
import java.util.Optional;

/** The safetensors element types the model reads; each is widened to float32. */
enum DType {
  F32(4),
  BF16(2),
  F16(2);

  final int bytes;

  DType(int bytes) {
    this.bytes = bytes;
  }

  static Optional<DType> parse(String name) {
    for (DType t : values()) {
      if (t.name().equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** Reads {@code out.length} values of this type from {@code in} (little-endian). */
  void decode(ByteBuffer in, float[] out) {
    switch (this) {
      case F32 -> in.asFloatBuffer().get(out);
      case BF16 -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = Float.intBitsToFloat((in.getShort(2 * i) & 0xffff) << 16);
        }
      }
      case F16 -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = halfToFloat(in.getShort(2 * i));
        }
      }
      default -> throw new IllegalStateException(name());
    }
  }

  /** IEEE 754 binary16 to binary32, subnormals, infinities and NaN included. */
  static float halfToFloat(short half) {
    int h = half & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      if (mantissa == 0) {
        return Float.intBitsToFloat(sign);
      }
      float value = mantissa * 0x1p-24f; // subnormal: mantissa * 2^-24
      return sign == 0 ? value : -value;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }
}
