package dev.longdpo.coordinator.run;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.longdpo.protocol.internal.proto.PairLogRecordProto;
import dev.longdpo.protocol.pairs.PairCodec;
import dev.longdpo.protocol.pairs.PreferencePair;
import dev.longdpo.protocol.pairs.TreeCompleted;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's append-only log of pairs and completed prompts: length-delimited Protobuf records
 * ({@code PairLogRecordProto}). Appends are buffered and made durable by {@link #flush} (once per
 * batch), so a crash loses at most the unflushed batch. Opening a log reads it back; a truncated or
 * corrupt tail (a crash mid-write) is detected, reported and cut off, so earlier records are never
 * lost and new ones never follow garbage. Pair ids are deterministic, so a replayed prompt does not
 * duplicate its pairs. Not thread-safe (one coordinator owns it).
 */
public final class PairLog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PairLog.class);

  /** What a log held when opened. */
  public record Contents(List<PreferencePair> pairs, Map<String, TreeCompleted> completed, long droppedTailBytes) {}

  private final Path file;
  private final FileChannel channel;
  private final OutputStream out;
  private final Set<String> pairIds = new LinkedHashSet<>();
  private final Contents contents;

  private PairLog(Path file, FileChannel channel, Contents contents) {
    this.file = file;
    this.channel = channel;
    this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
    this.contents = contents;
    contents.pairs().forEach(p -> pairIds.add(p.pairId()));
  }

  /** Opens (creating if needed) a log for appending, after reading and repairing what it holds. */
  public static PairLog open(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      Contents c = read(file, ch);
      ch.position(ch.size());
      return new PairLog(file, ch, c);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Reads a log without opening it for writing (exports, training); a bad tail is skipped. */
  public static Contents readOnly(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new java.nio.file.NoSuchFileException(file + " (no pair log: is this a run directory?)");
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return scan(file, ch, false);
    }
  }

  private static Contents read(Path file, FileChannel ch) throws IOException {
    return scan(file, ch, true);
  }

  private static Contents scan(Path file, FileChannel ch, boolean repair) throws IOException {
    long size = ch.size();
    ByteBuffer all = ByteBuffer.allocate((int) Math.min(size, Integer.MAX_VALUE - 8));
    while (all.hasRemaining() && ch.read(all, all.position()) > 0) {
      // read the whole file
    }
    byte[] bytes = all.array();
    int pos = 0;
    Map<String, PreferencePair> pairs = new LinkedHashMap<>();
    Map<String, TreeCompleted> completed = new LinkedHashMap<>();
    while (pos < bytes.length) {
      int start = pos;
      long len = 0;
      int shift = 0;
      boolean varintOk = false;
      while (pos < bytes.length && shift < 35) {
        int b = bytes[pos++] & 0xff;
        len |= (long) (b & 0x7f) << shift;
        shift += 7;
        if ((b & 0x80) == 0) {
          varintOk = true;
          break;
        }
      }
      if (!varintOk || len > bytes.length - pos) {
        return tail(file, ch, start, bytes.length, pairs, completed, repair, "truncated record");
      }
      try {
        PairLogRecordProto r = PairLogRecordProto.parseFrom(java.util.Arrays.copyOfRange(bytes, pos, pos + (int) len));
        if (r.hasPair()) {
          PreferencePair p = PairCodec.fromProto(r.getPair());
          pairs.putIfAbsent(p.pairId(), p);
        } else if (r.hasTreeCompleted()) {
          TreeCompleted t = PairCodec.fromProto(r.getTreeCompleted());
          completed.put(t.promptId(), t);
        } else {
          return tail(file, ch, start, bytes.length, pairs, completed, repair, "unknown record");
        }
      } catch (InvalidProtocolBufferException e) {
        return tail(file, ch, start, bytes.length, pairs, completed, repair, "corrupt record");
      }
      pos += (int) len;
    }
    return new Contents(withPromptPairs(pairs.values(), completed), completed, 0);
  }

  /**
   * Pairs as stored, with {@link PreferencePair#promptPairs} filled in from the tree-completed
   * records where a v1 log lacks it.
   */
  private static List<PreferencePair> withPromptPairs(Collection<PreferencePair> pairs, Map<String, TreeCompleted> completed) {
    List<PreferencePair> out = new ArrayList<>(pairs.size());
    for (PreferencePair p : pairs) {
      TreeCompleted t = completed.get(p.promptId());
      out.add(p.promptPairs() == 0 && t != null ? p.withPromptPairs(t.pairs()) : p);
    }
    return out;
  }

  private static Contents tail(Path file, FileChannel ch, long goodEnd, long size, Map<String, PreferencePair> pairs,
      Map<String, TreeCompleted> completed, boolean repair, String what) throws IOException {
    long dropped = size - goodEnd;
    LOG.warn("{}: {} at byte {}; skipping the last {} bytes{}", file, what, goodEnd, dropped,
        repair ? " (truncated before appending)" : "");
    if (repair) {
      ch.truncate(goodEnd);
    }
    return new Contents(withPromptPairs(pairs.values(), completed), completed, dropped);
  }

  /** What the log held when opened. */
  public Contents contents() {
    return contents;
  }

  /** Whether a pair with this id is already in the log. */
  public boolean contains(String pairId) {
    return pairIds.contains(pairId);
  }

  /**
   * Buffers pairs not yet in the log (a replayed prompt's pairs are skipped).
   *
   * @return the pairs actually appended
   */
  public List<PreferencePair> append(List<PreferencePair> pairs) throws IOException {
    List<PreferencePair> added = new ArrayList<>();
    for (PreferencePair p : pairs) {
      if (pairIds.add(p.pairId())) {
        write(PairLogRecordProto.newBuilder().setPair(PairCodec.toProto(p)).build());
        added.add(p);
      }
    }
    return Collections.unmodifiableList(added);
  }

  /** Buffers a completion record. */
  public void appendCompleted(TreeCompleted t) throws IOException {
    write(PairLogRecordProto.newBuilder().setTreeCompleted(PairCodec.toProto(t)).build());
  }

  private void write(PairLogRecordProto r) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(r.getSerializedSize() + 5);
    CodedOutputStream cos = CodedOutputStream.newInstance(buf);
    cos.writeUInt32NoTag(r.getSerializedSize());
    r.writeTo(cos);
    cos.flush();
    out.write(buf.toByteArray()); // one write per record: a crash tears at most the last one
  }

  /** Makes every buffered record durable. */
  public void flush() throws IOException {
    out.flush();
    channel.force(false);
  }

  /** The log file. */
  public Path file() {
    return file;
  }

  @Override
  public void close() throws IOException {
    flush();
    channel.close();
  }
}
