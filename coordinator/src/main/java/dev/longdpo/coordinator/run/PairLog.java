package dev.longdpo.coordinator.run;

import dev.longdpo.protocol.internal.proto.PairLogRecordProto;
import dev.longdpo.protocol.pairs.PairCodec;
import dev.longdpo.protocol.pairs.PreferencePair;
import dev.longdpo.protocol.pairs.TreeCompleted;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's append-only log of pairs and completed prompts, each record checksummed (see {@link
 * PairLogFormat}). Appends are buffered and made durable by {@link #flush} (once per batch), so a
 * crash loses at most the unflushed batch. Pair ids are deterministic, so a replayed prompt does not
 * duplicate its pairs: the log never holds a pair id twice. Not thread-safe (one coordinator owns
 * it).
 *
 * <p>Opening a log for appending reads it back and never throws an intact record away. A torn last
 * record (a crash mid-write) is cut. Any other damage is copied byte for byte into a side file
 * beside the log ({@code pairs.log.damaged-at-<offset>}), and the log is rewritten, atomically, as
 * every record that still verifies, in order; the warning says what was found where. A log written
 * before checksums (v1, v2) is read as before and rewritten in the checksummed format on its first
 * append; one damaged in its middle is refused ({@link DamagedLogException}), since nothing after
 * the damage can be verified: the user decides.
 */
public final class PairLog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PairLog.class);

  /**
   * A damaged range of a log.
   *
   * @param offset its first byte
   * @param length its bytes
   * @param what what was found, for a person
   * @param kind what it means for the records around it
   */
  public record Damage(long offset, long length, String what, Kind kind) {

    /** What a damaged range means. */
    public enum Kind {
      /** The last record, cut short by a crash: nothing was lost that had been made durable. */
      TORN_TAIL,
      /** Bytes at the end that are not an intact record, whole in size: set aside, then cut. */
      DAMAGED_TAIL,
      /** Bytes between intact records (checksummed logs): set aside, the records around kept. */
      DAMAGED_MIDDLE,
      /** A bad record in the middle of a legacy log: what follows cannot be verified. */
      UNVERIFIABLE
    }

    /** One line for a person. */
    public String describe() {
      return what + " at byte " + offset + " (" + length + " bytes)";
    }
  }

  /**
   * What a log held when read.
   *
   * @param pairs every pair, in log order, each id once
   * @param completed the completion records, by prompt id
   * @param damage every damaged range found (and, for a log opened to append, dealt with)
   * @param setAside side files that hold damaged bytes copied out of the log when it was opened
   * @param duplicatePairRecords pair records whose id an earlier record already had (skipped)
   * @param unknownRecords intact records of a type this build does not know (kept, skipped)
   */
  public record Contents(
      List<PreferencePair> pairs,
      Map<String, TreeCompleted> completed,
      List<Damage> damage,
      List<Path> setAside,
      int duplicatePairRecords,
      int unknownRecords) {

    /** Bytes at the end of the log that hold no intact record (skipped, or cut when opened). */
    public long droppedTailBytes() {
      return damage.stream()
          .filter(d -> d.kind() == Damage.Kind.TORN_TAIL || d.kind() == Damage.Kind.DAMAGED_TAIL)
          .mapToLong(Damage::length)
          .sum();
    }
  }

  /** A log damaged where it cannot be repaired without losing what may be intact records. */
  public static final class DamagedLogException extends IOException {
    private static final long serialVersionUID = 1L;

    DamagedLogException(String message) {
      super(message);
    }
  }

  private final Path file;
  private final FileChannel channel;
  private final OutputStream out;
  private final Set<String> pairIds = new LinkedHashSet<>();
  private final Contents contents;
  /** Where each distinct pair's record starts in the file, in log order: pairs stay on disk. */
  private long[] pairPositions;
  private int pairCount;
  /** Where the next record goes, and how far the file holds what was written (unflushed: buffered). */
  private long writePosition;
  private long writtenThrough;

  private PairLog(Path file, FileChannel channel, PairLogScan finalScan, Contents read) throws IOException {
    this.file = file;
    this.channel = channel;
    this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
    this.writePosition = channel.size();
    this.writtenThrough = writePosition;
    this.pairPositions = new long[Math.max(64, read.pairs().size())];
    for (PairLogScan.Entry e : finalScan.entries()) {
      if (e.record().hasPair() && pairIds.add(e.record().getPair().getPairId())) {
        pairPositions[pairCount++] = e.offset();
      }
    }
    // What was read is kept as a view of the file: a run's pairs need not fit in the heap.
    int atOpen = pairCount;
    Map<String, TreeCompleted> completed = read.completed();
    this.contents = new Contents(new AbstractList<>() {
      @Override
      public PreferencePair get(int i) {
        Objects.checkIndex(i, atOpen);
        return withPromptPairs(pairAt(i), completed);
      }

      @Override
      public int size() {
        return atOpen;
      }
    }, completed, read.damage(), read.setAside(), read.duplicatePairRecords(), read.unknownRecords());
  }

  /**
   * Opens (creating if needed) a log for appending, after reading it back and dealing with any
   * damage as the class comment says.
   *
   * @throws DamagedLogException for a legacy log damaged in its middle (nothing is changed)
   */
  public static PairLog open(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    byte[] bytes = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
    PairLogScan scan = PairLogScan.of(bytes);
    List<Path> setAside = repair(file, bytes, scan);
    Contents read = contents(scan, setAside);
    // A log that was rewritten has its records elsewhere now: their positions come from the file.
    boolean rewritten = !(scan.checksummed() && scan.damage().isEmpty());
    PairLogScan finalScan = rewritten ? PairLogScan.of(Files.readAllBytes(file)) : scan;
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      ch.position(ch.size());
      return new PairLog(file, ch, finalScan, read);
    } catch (RuntimeException | IOException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * Reads a log without changing it (exports, training): every intact record; damage is reported
   * in {@link Contents#damage}, never repaired.
   */
  public static Contents readOnly(Path file) throws IOException {
    return contents(scanExisting(file), List.of());
  }

  /**
   * Every pair record in the file, in order, duplicates included: what the log holds, not what a
   * reader makes of it (tests and forensics).
   */
  public static List<PreferencePair> pairRecords(Path file) throws IOException {
    List<PreferencePair> out = new ArrayList<>();
    for (PairLogScan.Entry e : scanExisting(file).entries()) {
      if (e.record().hasPair()) {
        out.add(PairCodec.fromProto(e.record().getPair()));
      }
    }
    return out;
  }

  private static PairLogScan scanExisting(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file + " (no pair log: is this a run directory?)");
    }
    return PairLogScan.of(Files.readAllBytes(file));
  }

  /**
   * Makes the file a clean checksummed log of its intact records, setting damaged bytes aside
   * first; leaves a clean checksummed log untouched.
   *
   * @return the side files written
   */
  private static List<Path> repair(Path file, byte[] bytes, PairLogScan scan) throws IOException {
    for (Damage d : scan.damage()) {
      if (d.kind() == Damage.Kind.UNVERIFIABLE) {
        throw new DamagedLogException(file + ": " + d.describe() + "; intact records before it: "
            + scan.entries().size() + ". Nothing was changed; to keep those records and go on,"
            + " cut the log there (truncate -s " + d.offset() + " " + file + ") or move it aside.");
      }
    }
    List<Path> setAside = new ArrayList<>();
    for (Damage d : scan.damage()) {
      if (d.kind() != Damage.Kind.TORN_TAIL) {
        Path side = file.resolveSibling(file.getFileName() + ".damaged-at-" + d.offset());
        DurableFile.write(side, Arrays.copyOfRange(bytes, (int) d.offset(), (int) (d.offset() + d.length())));
        setAside.add(side);
      }
      LOG.warn("{}: {}; {}", file, d.describe(), switch (d.kind()) {
        case TORN_TAIL -> "cut before appending";
        default -> "copied to " + setAside.get(setAside.size() - 1) + " and removed from the log";
      });
    }
    boolean clean = scan.checksummed() && scan.damage().isEmpty();
    if (clean) {
      return setAside;
    }
    if (bytes.length == 0) {
      DurableFile.write(file, PairLogFormat.HEADER);
      return setAside;
    }
    if (!scan.checksummed()) {
      LOG.info("{}: rewriting a log without checksums ({} records) in the checksummed format", file, scan.entries().size());
    }
    ByteArrayOutputStream rewritten = new ByteArrayOutputStream(bytes.length + 8 * scan.entries().size() + 16);
    rewritten.write(PairLogFormat.HEADER);
    for (PairLogScan.Entry e : scan.entries()) {
      rewritten.write(PairLogFormat.frame(e.payload(bytes)));
    }
    DurableFile.write(file, rewritten.toByteArray());
    if (!scan.damage().isEmpty()) {
      LOG.warn("{}: kept {} intact records; {} bytes set aside in {}", file, scan.entries().size(),
          scan.damage().stream().filter(d -> d.kind() != Damage.Kind.TORN_TAIL).mapToLong(Damage::length).sum(),
          setAside);
    }
    return setAside;
  }

  private static Contents contents(PairLogScan scan, List<Path> setAside) {
    Map<String, PreferencePair> pairs = new LinkedHashMap<>();
    Map<String, TreeCompleted> completed = new LinkedHashMap<>();
    int duplicates = 0;
    int unknown = 0;
    for (PairLogScan.Entry e : scan.entries()) {
      PairLogRecordProto r = e.record();
      if (r.hasPair()) {
        PreferencePair p = PairCodec.fromProto(r.getPair());
        if (pairs.putIfAbsent(p.pairId(), p) != null) {
          duplicates++;
        }
      } else if (r.hasTreeCompleted()) {
        TreeCompleted t = PairCodec.fromProto(r.getTreeCompleted());
        completed.put(t.promptId(), t);
      } else {
        unknown++;
      }
    }
    return new Contents(withPromptPairs(pairs.values(), completed), completed, List.copyOf(scan.damage()),
        List.copyOf(setAside), duplicates, unknown);
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

  /** What the log held when opened; its pairs are read from the file when asked for. */
  public Contents contents() {
    return contents;
  }

  /** How many distinct pairs the log holds now. */
  public int pairCount() {
    return pairCount;
  }

  /**
   * Every pair in the log now, in log order, as a view of the file: each {@code get} reads one
   * record (what the pair stream serves by offset). Grows with appends; confined to the owner.
   */
  public List<PreferencePair> pairs() {
    return new AbstractList<>() {
      @Override
      public PreferencePair get(int i) {
        Objects.checkIndex(i, pairCount);
        return withPromptPairs(pairAt(i), contents.completed());
      }

      @Override
      public int size() {
        return pairCount;
      }
    };
  }

  private static PreferencePair withPromptPairs(PreferencePair p, Map<String, TreeCompleted> completed) {
    TreeCompleted t = completed.get(p.promptId());
    return p.promptPairs() == 0 && t != null ? p.withPromptPairs(t.pairs()) : p;
  }

  /** Reads the {@code i}th distinct pair's record (flushing buffered records first if needed). */
  private PreferencePair pairAt(int i) {
    long position = pairPositions[i];
    try {
      if (position >= writtenThrough) {
        out.flush();
        writtenThrough = writePosition;
      }
      ByteBuffer head = readFully(position, PairLogFormat.FRAME);
      int length = head.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
      byte[] payload = readFully(position + PairLogFormat.FRAME, length).array();
      return PairCodec.fromProto(PairLogRecordProto.parseFrom(payload).getPair());
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot read the pair record at byte " + position, e);
    }
  }

  private ByteBuffer readFully(long position, int length) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(length);
    while (b.hasRemaining()) {
      if (channel.read(b, position + b.position()) < 0) {
        throw new IOException("the file ends inside a record");
      }
    }
    return b.flip();
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
        if (pairCount == pairPositions.length) {
          pairPositions = Arrays.copyOf(pairPositions, pairCount * 2);
        }
        pairPositions[pairCount++] = writePosition;
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
    byte[] frame = PairLogFormat.frame(r.toByteArray());
    out.write(frame); // one write per record: a crash tears at most the last one
    writePosition += frame.length;
  }

  /** Makes every buffered record durable. */
  public void flush() throws IOException {
    out.flush();
    writtenThrough = writePosition;
    channel.force(false);
  }

  /** The log file. */
  public Path file() {
    return file;
  }

  /** Whether the log is open (its owner may close it while a writer still holds it). */
  public boolean isOpen() {
    return channel.isOpen();
  }

  @Override
  public void close() throws IOException {
    if (!channel.isOpen()) {
      return;
    }
    flush();
    channel.close();
  }
}
