package dev.longdpo.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.longdpo.model.checkpoint.HostTensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Creates every parameter of a model from a {@link WeightSource} and remembers it under its Hugging
 * Face name, in the order {@code LlamaForCausalLM.state_dict()} lists them.
 */
public final class ParameterRegistry {

  private final NDManager manager;
  private final WeightSource source;
  private final Map<String, Parameter> byName = new LinkedHashMap<>();

  /**
   * @param manager owns the parameter arrays for the model's lifetime
   * @param source initial values
   */
  public ParameterRegistry(NDManager manager, WeightSource source) {
    this.manager = manager;
    this.source = source;
  }

  /** Creates a parameter named {@code hfName} with values from the source. */
  Parameter create(String hfName, long[] shape, WeightSource.Kind kind) {
    HostTensor t = source.get(hfName, shape, kind);
    NDArray array = manager.create(t.data(), new Shape(t.shape()));
    Parameter p =
        Parameter.builder()
            .setName(hfName)
            .setType(kind == WeightSource.Kind.NORM_SCALE ? Parameter.Type.GAMMA : Parameter.Type.WEIGHT)
            .build();
    p.setArray(array);
    byName.put(hfName, p);
    return p;
  }

  /** Every parameter created so far, by Hugging Face name, in creation order. */
  Map<String, Parameter> parameters() {
    return Collections.unmodifiableMap(byName);
  }
}
