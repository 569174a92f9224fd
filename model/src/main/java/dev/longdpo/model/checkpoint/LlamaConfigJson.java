package dev.longdpo.model.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longdpo.model.LlamaConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads and writes {@code config.json} in Hugging Face's {@code LlamaConfig} format. */
public final class LlamaConfigJson {

  static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Fields this class interprets; everything else is carried in {@link LlamaConfig#extra()}. */
  private static final Set<String> KNOWN =
      Set.of(
          "vocab_size",
          "hidden_size",
          "intermediate_size",
          "num_hidden_layers",
          "num_attention_heads",
          "num_key_value_heads",
          "head_dim",
          "rms_norm_eps",
          "rope_theta",
          "rope_scaling",
          "max_position_embeddings",
          "tie_word_embeddings",
          "bos_token_id",
          "eos_token_id",
          "pad_token_id",
          "torch_dtype",
          "dtype",
          "hidden_act",
          "attention_bias",
          "mlp_bias",
          "model_type",
          "architectures");

  private LlamaConfigJson() {}

  /** Reads a config file; every problem names the file and the field. */
  public static LlamaConfig read(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new CheckpointException(file, "missing (a checkpoint needs config.json)");
    } catch (JsonProcessingException e) {
      throw new CheckpointException(
          file, "not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new CheckpointException(file, "cannot be read: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new CheckpointException(file, "must hold a JSON object");
    }
    return parse(file, root);
  }

  /** Parses a config held in memory; {@code file} is only used to name the source in errors. */
  public static LlamaConfig parse(Path file, JsonNode root) {
    Fields f = new Fields(file, root);
    String modelType = f.optString("model_type").orElse("llama");
    if (!modelType.equals("llama")) {
      throw new CheckpointException(
          file, "model_type", "'" + modelType + "' is not supported (expected 'llama')");
    }
    String act = f.optString("hidden_act").orElse("silu");
    if (!act.equals("silu")) {
      throw new CheckpointException(
          file, "hidden_act", "'" + act + "' is not supported (expected 'silu')");
    }
    f.requireFalse("attention_bias");
    f.requireFalse("mlp_bias");

    int hidden = f.positiveInt("hidden_size");
    int heads = f.positiveInt("num_attention_heads");
    int kvHeads = f.optPositiveInt("num_key_value_heads").orElse(heads);
    Optional<Integer> headDimField = f.optPositiveInt("head_dim");
    if (headDimField.isEmpty() && hidden % heads != 0) {
      throw new CheckpointException(
          file,
          "num_attention_heads",
          heads + " does not divide hidden_size " + hidden + " (and no head_dim is given)");
    }
    if (heads % kvHeads != 0) {
      throw new CheckpointException(
          file,
          "num_key_value_heads",
          kvHeads + " does not divide num_attention_heads " + heads);
    }
    int headDim = headDimField.orElse(hidden / heads);
    if (headDim % 2 != 0) {
      throw new CheckpointException(file, "head_dim", headDim + " must be even for RoPE");
    }
    Optional<Map<String, Object>> ropeScaling = f.optObject("rope_scaling");
    ropeScaling.ifPresent(s -> RopeScalingCheck.validate(file, s));

    String dtype =
        f.optString("torch_dtype").or(() -> f.optString("dtype")).orElse("float32");
    if (!List.of("float32", "bfloat16", "float16").contains(dtype)) {
      throw new CheckpointException(
          file, "torch_dtype", "'" + dtype + "' is not supported (float32, bfloat16, float16)");
    }

    Map<String, Object> extra = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = root.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!KNOWN.contains(e.getKey()) && !e.getValue().isNull()) {
        extra.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class));
      }
    }
    try {
      return new LlamaConfig(
          f.positiveInt("vocab_size"),
          hidden,
          f.positiveInt("intermediate_size"),
          f.positiveInt("num_hidden_layers"),
          heads,
          kvHeads,
          headDim,
          f.optPositiveDouble("rms_norm_eps").orElse(1e-6),
          f.optPositiveDouble("rope_theta").orElse(10000.0),
          ropeScaling,
          f.optPositiveInt("max_position_embeddings").orElse(2048),
          f.optBoolean("tie_word_embeddings").orElse(false),
          f.optNonNegativeInt("bos_token_id"),
          f.intOrList("eos_token_id"),
          f.optNonNegativeInt("pad_token_id"),
          dtype,
          extra);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(file, e.getMessage());
    }
  }

  /** The JSON text Hugging Face's {@code LlamaConfig.from_pretrained} reads back. */
  public static String toJson(LlamaConfig c) {
    ObjectNode n = JSON.createObjectNode();
    n.putArray("architectures").add("LlamaForCausalLM");
    n.put("model_type", "llama");
    n.put("vocab_size", c.vocabSize());
    n.put("hidden_size", c.hiddenSize());
    n.put("intermediate_size", c.intermediateSize());
    n.put("num_hidden_layers", c.numHiddenLayers());
    n.put("num_attention_heads", c.numAttentionHeads());
    n.put("num_key_value_heads", c.numKeyValueHeads());
    n.put("head_dim", c.headDim());
    n.put("hidden_act", "silu");
    n.put("rms_norm_eps", c.rmsNormEps());
    n.put("rope_theta", c.ropeTheta());
    if (c.ropeScaling().isPresent()) {
      n.set("rope_scaling", JSON.valueToTree(c.ropeScaling().get()));
    } else {
      n.putNull("rope_scaling");
    }
    n.put("max_position_embeddings", c.maxPositionEmbeddings());
    n.put("tie_word_embeddings", c.tieWordEmbeddings());
    n.put("attention_bias", false);
    n.put("mlp_bias", false);
    c.bosTokenId().ifPresent(id -> n.put("bos_token_id", id));
    if (c.eosTokenIds().size() == 1) {
      n.put("eos_token_id", c.eosTokenIds().get(0));
    } else if (!c.eosTokenIds().isEmpty()) {
      ArrayNode eos = n.putArray("eos_token_id");
      c.eosTokenIds().forEach(eos::add);
    }
    c.padTokenId().ifPresent(id -> n.put("pad_token_id", id));
    n.put("torch_dtype", c.torchDtype());
    for (Map.Entry<String, Object> e : c.extra().entrySet()) {
      n.set(e.getKey(), JSON.valueToTree(e.getValue()));
    }
    try {
      return JSON.writeValueAsString(n) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render config.json", e);
    }
  }

  /** Typed access to the fields of one JSON object, with errors that name file and field. */
  private static final class Fields {
    private final Path file;
    private final JsonNode root;

    Fields(Path file, JsonNode root) {
      this.file = file;
      this.root = root;
    }

    private Optional<JsonNode> opt(String name) {
      JsonNode v = root.get(name);
      return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
    }

    int positiveInt(String name) {
      return optPositiveInt(name)
          .orElseThrow(() -> new CheckpointException(file, name, "missing (a positive integer)"));
    }

    Optional<Integer> optPositiveInt(String name) {
      Optional<Integer> v = optInt(name);
      v.ifPresent(
          x -> {
            if (x <= 0) {
              throw new CheckpointException(file, name, x + " must be > 0");
            }
          });
      return v;
    }

    Optional<Integer> optNonNegativeInt(String name) {
      Optional<Integer> v = optInt(name);
      v.ifPresent(
          x -> {
            if (x < 0) {
              throw new CheckpointException(file, name, x + " must be >= 0");
            }
          });
      return v;
    }

    private Optional<Integer> optInt(String name) {
      return opt(name)
          .map(
              v -> {
                if (!v.canConvertToInt() || !(v.isIntegralNumber())) {
                  throw new CheckpointException(file, name, "expected an integer, got " + v);
                }
                return v.intValue();
              });
    }

    Optional<Double> optPositiveDouble(String name) {
      return opt(name)
          .map(
              v -> {
                if (!v.isNumber() || !(v.doubleValue() > 0)) {
                  throw new CheckpointException(file, name, "expected a number > 0, got " + v);
                }
                return v.doubleValue();
              });
    }

    Optional<Boolean> optBoolean(String name) {
      return opt(name)
          .map(
              v -> {
                if (!v.isBoolean()) {
                  throw new CheckpointException(file, name, "expected true or false, got " + v);
                }
                return v.booleanValue();
              });
    }

    void requireFalse(String name) {
      if (optBoolean(name).orElse(false)) {
        throw new CheckpointException(file, name, "true is not supported (biases are not)");
      }
    }

    Optional<String> optString(String name) {
      return opt(name)
          .map(
              v -> {
                if (!v.isTextual()) {
                  throw new CheckpointException(file, name, "expected a string, got " + v);
                }
                return v.textValue();
              });
    }

    Optional<Map<String, Object>> optObject(String name) {
      return opt(name)
          .map(
              v -> {
                if (!v.isObject()) {
                  throw new CheckpointException(file, name, "expected an object, got " + v);
                }
                return JSON.convertValue(v, new TypeReference<Map<String, Object>>() {});
              });
    }

    List<Integer> intOrList(String name) {
      Optional<JsonNode> v = opt(name);
      if (v.isEmpty()) {
        return List.of();
      }
      List<Integer> ids = new ArrayList<>();
      if (v.get().isArray()) {
        for (JsonNode x : v.get()) {
          if (!x.isIntegralNumber() || x.intValue() < 0) {
            throw new CheckpointException(file, name, "expected token ids, got " + v.get());
          }
          ids.add(x.intValue());
        }
      } else if (v.get().isIntegralNumber() && v.get().intValue() >= 0) {
        ids.add(v.get().intValue());
      } else {
        throw new CheckpointException(file, name, "expected a token id or a list, got " + v.get());
      }
      return ids;
    }
  }
}
