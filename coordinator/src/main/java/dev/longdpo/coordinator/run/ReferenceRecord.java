package dev.longdpo.coordinator.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a run's reference log-probs came from, stored as {@code reference.json}: a pair carries
 * each side's summed log-prob under the frozen reference, and DPO trusts those numbers, so training
 * on the pairs is right only with the model that produced them.
 *
 * @param weightsSha256 the reference model's weights hash ({@code WeightsHash})
 * @param logProbs how the log-probs were obtained: {@link #FROM_SAMPLER} or {@link #FROM_REFERENCE}
 */
public record ReferenceRecord(String weightsSha256, String logProbs) {

  /**
   * The policy that sampled is the reference, and the sampler kept its raw log-probs (temperature
   * 1, no decoding hook) on the clean training prompt: exactly what the reference scores.
   */
  public static final String FROM_SAMPLER = "sampler";

  /**
   * The policy is not the reference: the reference backend scored each side's ids on the pair's
   * clean prefix.
   */
  public static final String FROM_REFERENCE = "reference";

  /** Checks the fields. */
  public ReferenceRecord {
    if (weightsSha256 == null || !weightsSha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("weights_sha256: expected 64 hex digits, got " + weightsSha256);
    }
    if (!FROM_SAMPLER.equals(logProbs) && !FROM_REFERENCE.equals(logProbs)) {
      throw new IllegalArgumentException("logprobs: expected '" + FROM_SAMPLER + "' or '" + FROM_REFERENCE + "', got "
          + logProbs);
    }
  }

  /** A reference model that scored the pairs itself. */
  public static ReferenceRecord fromReference(String weightsSha256) {
    return new ReferenceRecord(weightsSha256, FROM_REFERENCE);
  }

  /** A reference whose log-probs the sampler took. */
  public static ReferenceRecord fromSampler(String weightsSha256) {
    return new ReferenceRecord(weightsSha256, FROM_SAMPLER);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads a record written by {@link #write}; empty where there is none. */
  public static Optional<ReferenceRecord> read(Path file) {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      JsonNode n = JSON.readTree(Files.readString(file));
      return Optional.of(new ReferenceRecord(n.path("weights_sha256").asText(null), n.path("logprobs").asText(null)));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": unreadable reference record: " + e.getMessage(), e);
    }
  }

  /** Writes the record (atomically). */
  public void write(Path file) throws IOException {
    RunDirectory.writeAtomically(file,
        JSON.writeValueAsString(JSON.createObjectNode().put("weights_sha256", weightsSha256).put("logprobs", logProbs)));
  }
}
