package dev.longdpo.model.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longdpo.model.LanguageModel;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Logits of checkpoints made by {@code tools/golden/llama_golden.py} (a PyTorch reference of
 * transformers' LlamaForCausalLM; see golden.json's "reference") must match ours within 1e-4.
 */
class GoldenLogitsTest {

  @TempDir Path copies;

  /**
   * The fixture's files, read from the test classpath (a directory or a jar alike) and copied to a
   * checkpoint directory, which is what {@link LanguageModel#load} reads.
   */
  Path fixture(String name) throws Exception {
    Path dir = Files.createDirectories(copies.resolve(name));
    for (String file : new String[] {"config.json", "model.safetensors", "golden.json"}) {
      try (InputStream in = GoldenLogitsTest.class.getResourceAsStream("/golden/" + name + "/" + file)) {
        assertThat(in).as("/golden/%s/%s on the test classpath", name, file).isNotNull();
        Files.copy(in, dir.resolve(file));
      }
    }
    return dir;
  }

  @ParameterizedTest
  @ValueSource(strings = {"llama-tiny", "llama3-rope-tied"})
  void logitsMatchTheReference(String name) throws Exception {
    Path dir = fixture(name);
    JsonNode golden = new ObjectMapper().readTree(Files.readString(dir.resolve("golden.json")));
    JsonNode idsNode = golden.get("input_ids");
    long[] ids = new long[idsNode.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = idsNode.get(i).asLong();
    }
    try (LanguageModel m = LanguageModel.load(dir); NDManager nd = m.manager().newSubManager()) {
      NDArray input = nd.create(ids, new Shape(1, ids.length));
      float[] logits =
          m.network().forward(new ParameterStore(nd, false), new NDList(input), false)
              .singletonOrThrow().toFloatArray();
      JsonNode expected = golden.get("logits");
      int vocab = expected.get(0).size();
      double maxDiff = 0;
      for (int t = 0; t < ids.length; t++) {
        for (int v = 0; v < vocab; v++) {
          maxDiff = Math.max(maxDiff, Math.abs(logits[t * vocab + v] - expected.get(t).get(v).asDouble()));
        }
      }
      assertThat(maxDiff).as("max |ours - reference| over all logits").isCloseTo(0, within(1e-4));
    }
  }
}
