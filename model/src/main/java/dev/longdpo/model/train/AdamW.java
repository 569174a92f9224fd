package dev.longdpo.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.checkpoint.CheckpointException;
import dev.longdpo.model.checkpoint.HostTensor;
import dev.longdpo.model.checkpoint.SafetensorsFile;
import dev.longdpo.model.checkpoint.SafetensorsWriter;
import dev.longdpo.model.nn.LlamaModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW with PyTorch's semantics (decoupled weight decay, bias-corrected moments, eps outside the
 * square root), and state that can be saved next to a checkpoint and restored exactly: DJL has no
 * API for optimizer state.
 *
 * <p>Each parameter is updated by one fused native call. Norm scales (1-D parameters) are not
 * decayed, as is usual for transformers.
 */
public final class AdamW implements AutoCloseable {

  /** Moments file inside a checkpoint. */
  public static final String STATE_FILE = "optimizer.safetensors";

  /** Step count and settings inside a checkpoint. */
  public static final String META_FILE = "optimizer.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final OptimizerSettings settings;
  private final Map<String, Parameter> params;
  private final LlamaModel network;
  private final NDManager manager;
  private final Map<String, NDArray> firstMoment = new LinkedHashMap<>();
  private final Map<String, NDArray> secondMoment = new LinkedHashMap<>();
  private long step;

  /** Zero moments for every parameter of a trainable model. */
  public AdamW(LanguageModel model, OptimizerSettings settings) {
    if (!model.trainable()) {
      throw new IllegalArgumentException("the model was not loaded as trainable");
    }
    this.settings = settings;
    this.params = model.network().namedParameters();
    this.network = model.network();
    this.manager = model.manager().newSubManager();
    for (Map.Entry<String, Parameter> e : params.entrySet()) {
      NDArray w = e.getValue().getArray();
      firstMoment.put(e.getKey(), manager.zeros(w.getShape()));
      secondMoment.put(e.getKey(), manager.zeros(w.getShape()));
    }
  }

  /** The settings. */
  public OptimizerSettings settings() {
    return settings;
  }

  /** Updates taken so far. */
  public long stepCount() {
    return step;
  }

  /** A copy of the first moments ({@code exp_avg}) by parameter name. */
  public Map<String, HostTensor> firstMoments() {
    return snapshot(firstMoment);
  }

  /** A copy of the second moments ({@code exp_avg_sq}) by parameter name. */
  public Map<String, HostTensor> secondMoments() {
    return snapshot(secondMoment);
  }

  private static Map<String, HostTensor> snapshot(Map<String, NDArray> moments) {
    Map<String, HostTensor> out = new LinkedHashMap<>();
    moments.forEach((name, a) -> out.put(name, host(a)));
    return out;
  }

  /** The global L2 norm of the current gradients (NaN if any is not finite). */
  public double gradNorm() {
    double sum = 0;
    for (Parameter p : params.values()) {
      // The norm is made in the gradient's manager, the model's, which lives as long as the
      // model: closed here, or one scalar per parameter and step would pile up there.
      try (NDArray g = p.getArray().getGradient(); NDArray norm = g.norm()) {
        double n = norm.getFloat();
        sum += n * n;
      }
    }
    return Math.sqrt(sum);
  }

  /**
   * Scales the gradients in place so their global norm is at most {@code maxNorm} (no-op for
   * {@code maxNorm <= 0}, a smaller norm, or a norm that is not finite).
   *
   * @return the norm before clipping
   */
  public double clipGradNorm(double maxNorm) {
    double norm = gradNorm();
    if (maxNorm > 0 && Double.isFinite(norm) && norm > maxNorm) {
      float scale = (float) (maxNorm / (norm + 1e-6));
      for (Parameter p : params.values()) {
        try (NDArray g = p.getArray().getGradient()) {
          g.muli(scale);
        }
      }
    }
    return norm;
  }

  /**
   * Applies one update from the current gradients.
   *
   * @param learningRate this step's rate
   */
  public void update(double learningRate) {
    step++;
    double bc1 = 1 - Math.pow(settings.beta1(), step);
    double bc2 = 1 - Math.pow(settings.beta2(), step);
    // The native update computes w -= lrc * m / (sqrt(v) + eps'). With lrc = lr * sqrt(bc2) / bc1
    // and eps' = eps * sqrt(bc2) this is exactly PyTorch's lr * m̂ / (sqrt(v̂) + eps).
    float lrc = (float) (learningRate * Math.sqrt(bc2) / bc1);
    float epsHat = (float) (settings.eps() * Math.sqrt(bc2));
    for (Map.Entry<String, Parameter> e : params.entrySet()) {
      NDArray w = e.getValue().getArray();
      float decay = w.getShape().dimension() > 1 ? (float) settings.weightDecay() : 0f;
      try (NDArray g = w.getGradient()) {
        JniUtils.adamUpdate(
            (PtNDArray) w,
            (PtNDArray) g,
            (PtNDArray) firstMoment.get(e.getKey()),
            (PtNDArray) secondMoment.get(e.getKey()),
            (float) learningRate,
            lrc,
            decay,
            1f,
            -1f,
            (float) settings.beta1(),
            (float) settings.beta2(),
            epsHat,
            true);
      }
    }
    network.weightsChanged();
  }

  /** Sets every gradient to zero (PyTorch accumulates them across backward passes). */
  public void zeroGrad() {
    for (Parameter p : params.values()) {
      JniUtils.zeroGrad((PtNDArray) p.getArray());
    }
  }

  /** Writes the moments and the step count into a checkpoint directory. */
  public void save(Path dir) throws IOException {
    Map<String, HostTensor> tensors = new LinkedHashMap<>();
    for (String name : params.keySet()) {
      tensors.put("exp_avg." + name, host(firstMoment.get(name)));
      tensors.put("exp_avg_sq." + name, host(secondMoment.get(name)));
    }
    SafetensorsWriter.write(dir.resolve(STATE_FILE), tensors, Map.of("format", "pt"));
    ObjectNode meta = JSON.createObjectNode();
    meta.put("step", step);
    meta.set("settings", JSON.valueToTree(settings));
    Files.writeString(dir.resolve(META_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(meta));
  }

  /** Restores moments and step count saved by {@link #save}. */
  public void load(Path dir) {
    Path metaFile = dir.resolve(META_FILE);
    try {
      var meta = JSON.readTree(Files.readString(metaFile));
      if (meta == null || !meta.has("step") || !meta.get("step").canConvertToLong()) {
        throw new CheckpointException(metaFile, "step", "missing");
      }
      SafetensorsFile state = SafetensorsFile.open(dir.resolve(STATE_FILE));
      Map<String, HostTensor> m = new LinkedHashMap<>();
      Map<String, HostTensor> v = new LinkedHashMap<>();
      for (Map.Entry<String, Parameter> e : params.entrySet()) {
        long[] shape = e.getValue().getArray().getShape().getShape();
        m.put(e.getKey(), readChecked(state, "exp_avg." + e.getKey(), shape));
        v.put(e.getKey(), readChecked(state, "exp_avg_sq." + e.getKey(), shape));
      }
      for (String name : params.keySet()) {
        firstMoment.get(name).set(m.get(name).data());
        secondMoment.get(name).set(v.get(name).data());
      }
      step = meta.get("step").asLong();
    } catch (IOException e) {
      throw new CheckpointException(metaFile, "cannot be read: " + e.getMessage(), e);
    }
  }

  private static HostTensor readChecked(SafetensorsFile f, String name, long[] shape) {
    if (!f.contains(name)) {
      throw new CheckpointException(f.path(), name, "missing tensor");
    }
    if (!Arrays.equals(f.shape(name), shape)) {
      throw new CheckpointException(
          f.path(), name, "shape " + Arrays.toString(f.shape(name)) + ", expected " + Arrays.toString(shape));
    }
    return f.read(name);
  }

  private static HostTensor host(NDArray a) {
    return new HostTensor(a.getShape().getShape(), a.toFloatArray());
  }

  @Override
  public void close() {
    manager.close();
  }
}
