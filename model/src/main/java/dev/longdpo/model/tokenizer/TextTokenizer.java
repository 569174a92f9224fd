package dev.longdpo.model.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.longdpo.model.checkpoint.CheckpointException;
import dev.longdpo.model.runtime.DjlRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A Hugging Face {@code tokenizer.json}, loaded through DJL with truncation off (DJL's default
 * silently cuts at 512 tokens) and special tokens added only when asked for.
 *
 * <p>The native tokenizer is thread-safe for encoding and decoding.
 */
public final class TextTokenizer implements AutoCloseable {

  /** The file name inside a checkpoint directory. */
  public static final String FILE = "tokenizer.json";

  private final HuggingFaceTokenizer tokenizer;
  private final Path source;
  private final String json;

  private TextTokenizer(HuggingFaceTokenizer tokenizer, Path source, String json) {
    this.tokenizer = tokenizer;
    this.source = source;
    this.json = json;
  }

  /** Loads {@code tokenizer.json} from a file or a checkpoint directory. */
  public static TextTokenizer load(Path path) {
    Path file = Files.isDirectory(path) ? path.resolve(FILE) : path;
    if (!Files.exists(file)) {
      throw new CheckpointException(file, "missing (the checkpoint has no tokenizer)");
    }
    try {
      return fromJson(Files.readString(file), file);
    } catch (IOException e) {
      throw new CheckpointException(file, "cannot be read: " + e.getMessage(), e);
    }
  }

  /** Builds a tokenizer from {@code tokenizer.json} text; {@code source} names it in errors. */
  public static TextTokenizer fromJson(String json, Path source) {
    DjlRuntime.ensureOffline();
    try {
      HuggingFaceTokenizer t =
          HuggingFaceTokenizer.newInstance(
              new java.io.ByteArrayInputStream(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
              Map.of("truncation", "false", "addSpecialTokens", "false", "padding", "false"));
      return new TextTokenizer(t, source, json);
    } catch (IOException | RuntimeException e) {
      throw new CheckpointException(source, "not a valid tokenizer: " + e.getMessage(), e);
    }
  }

  /** Token ids of {@code text}, with the tokenizer's special tokens (e.g. BOS) if asked. */
  public int[] encode(String text, boolean addSpecialTokens) {
    Encoding e = tokenizer.encode(text, addSpecialTokens, false);
    long[] ids = e.getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = Math.toIntExact(ids[i]);
    }
    return out;
  }

  /** Text of {@code ids}, leaving out special tokens such as BOS and EOS. */
  public String decode(int[] ids) {
    return decode(ids, 0, ids.length);
  }

  /** Text of {@code ids[from, to)}, leaving out special tokens. */
  public String decode(int[] ids, int from, int to) {
    long[] l = new long[to - from];
    for (int i = from; i < to; i++) {
      l[i - from] = ids[i];
    }
    return tokenizer.decode(l, true);
  }

  /** The id of a token string, if the vocabulary has it. */
  public Optional<Integer> tokenId(String token) {
    long[] ids = tokenizer.encode(token, false, false).getIds();
    String[] tokens = tokenizer.encode(token, false, false).getTokens();
    if (ids.length == 1 && tokens[0].equals(token)) {
      return Optional.of((int) ids[0]);
    }
    return Optional.empty();
  }

  /** The original JSON, for copying into a saved checkpoint. */
  public String json() {
    return json;
  }

  /** Where the tokenizer was read from. */
  public Path source() {
    return source;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
