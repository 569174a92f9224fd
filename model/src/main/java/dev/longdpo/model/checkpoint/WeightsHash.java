package dev.longdpo.model.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The identity of a checkpoint's weights: the SHA-256 of {@code model.safetensors}, or, for a
 * sharded checkpoint, of its shards' bytes in name order. Two checkpoints with the same hash hold
 * the same bits, so reports carry it to tell results of different bases apart at a glance.
 */
public final class WeightsHash {

  private WeightsHash() {}

  /** The hash, as 64 hex digits. */
  public static String of(Path checkpointDir) throws IOException {
    List<Path> files;
    Path single = checkpointDir.resolve(WeightFiles.SINGLE);
    if (Files.exists(single)) {
      files = List.of(single);
    } else {
      try (Stream<Path> s = Files.list(checkpointDir)) {
        files = s.filter(p -> {
          String n = p.getFileName().toString();
          return n.startsWith("model-") && n.endsWith(".safetensors");
        }).sorted().toList();
      }
      if (files.isEmpty()) {
        throw new CheckpointException(checkpointDir, "no " + WeightFiles.SINGLE + " and no model-*.safetensors shards");
      }
    }
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buf = new byte[1 << 16];
    for (Path f : files) {
      try (InputStream in = new DigestInputStream(Files.newInputStream(f), sha)) {
        while (in.read(buf) >= 0) {
          // digesting
        }
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** The first 8 hex digits, as people quote a hash. */
  public static String shortForm(String hash) {
    return hash.substring(0, 8);
  }
}
