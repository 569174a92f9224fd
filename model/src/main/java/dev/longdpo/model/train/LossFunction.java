package dev.longdpo.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/** Builds one step's loss from the trainable model, recording the graph. */
@FunctionalInterface
public interface LossFunction {

  /**
   * @param manager owns every array of this step; closed after the update
   * @return the scalar loss and any scalar metrics to report (read after the backward pass)
   */
  Output compute(NDManager manager);

  /**
   * @param loss scalar to minimize
   * @param metrics scalar arrays reported by name (no gradient needed)
   */
  record Output(NDArray loss, Map<String, NDArray> metrics) {
    /** A loss with no further metrics. */
    public static Output of(NDArray loss) {
      return new Output(loss, Map.of());
    }
  }
}
