package dev.longdpo.coordinator.run;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.longdpo.protocol.internal.proto.PairLogRecordProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a pair log's bytes hold: its intact records in file order and every damaged range, found
 * without changing anything. {@link PairLog} decides what to do about the damage.
 *
 * @param checksummed whether the log has the checksummed format's header (see {@link PairLogFormat})
 * @param entries the intact records
 * @param damage the damaged ranges, in file order
 */
record PairLogScan(boolean checksummed, List<Entry> entries, List<PairLog.Damage> damage) {

  /**
   * An intact record.
   *
   * @param offset where its frame starts
   * @param payloadOffset where its Protobuf payload starts
   * @param payloadLength payload bytes
   * @param record the parsed record; its case is {@code RECORD_NOT_SET} for a record of a type this
   *     build does not know (written by a newer one), which is kept but not interpreted
   */
  record Entry(int offset, int payloadOffset, int payloadLength, PairLogRecordProto record) {

    /** The payload's bytes, for a rewrite. */
    byte[] payload(byte[] bytes) {
      return Arrays.copyOfRange(bytes, payloadOffset, payloadOffset + payloadLength);
    }
  }

  /** Scans a whole log. */
  static PairLogScan of(byte[] bytes) {
    if (PairLogFormat.isChecksummed(bytes)) {
      return checksummed(bytes);
    }
    return legacy(bytes);
  }

  private static PairLogScan checksummed(byte[] bytes) {
    List<Entry> entries = new ArrayList<>();
    List<PairLog.Damage> damage = new ArrayList<>();
    int n = bytes.length;
    int pos = PairLogFormat.HEADER.length;
    while (pos < n) {
      int length = PairLogFormat.intactRecordAt(bytes, pos);
      if (length >= 0) {
        int payload = pos + PairLogFormat.FRAME;
        entries.add(new Entry(pos, payload, length, parseOrUnknown(bytes, payload, length)));
        pos = payload + length;
        continue;
      }
      // Damage: the next intact record, if any, is where the log goes on.
      int next = pos + 1;
      while (next < n && !resumesAt(bytes, next)) {
        next++;
      }
      if (next >= n) {
        damage.add(tail(bytes, pos));
      } else {
        damage.add(new PairLog.Damage(pos, next - pos, "bytes that are not an intact record (a checksum"
            + " that does not match or a broken frame); intact records follow", PairLog.Damage.Kind.DAMAGED_MIDDLE));
      }
      pos = next;
    }
    return new PairLogScan(true, entries, damage);
  }

  /**
   * Whether an intact record starts at {@code offset}: its frame checks, and its payload starts with
   * a length-delimited field's tag, as every record type's does (a cheap filter that keeps the
   * search past damage from checksumming garbage at most offsets).
   */
  private static boolean resumesAt(byte[] bytes, int offset) {
    int payload = offset + PairLogFormat.FRAME;
    return payload < bytes.length && (bytes[payload] & 0x07) == 2 && PairLogFormat.intactRecordAt(bytes, offset) >= 0;
  }

  private static PairLog.Damage tail(byte[] bytes, int pos) {
    int n = bytes.length;
    int remaining = n - pos;
    if (remaining < PairLogFormat.FRAME) {
      return new PairLog.Damage(pos, remaining, "a torn record frame (" + remaining + " of its 8 frame bytes)",
          PairLog.Damage.Kind.TORN_TAIL);
    }
    int declared = PairLogFormat.intAt(bytes, pos);
    if (declared > 0 && declared <= PairLogFormat.MAX_PAYLOAD && declared > remaining - PairLogFormat.FRAME) {
      return new PairLog.Damage(pos, remaining, "a torn record (it declares " + declared + " bytes, "
          + (remaining - PairLogFormat.FRAME) + " follow)", PairLog.Damage.Kind.TORN_TAIL);
    }
    if (allZero(bytes, pos)) {
      // A crash after the file grew but before its data reached the disk leaves zeros.
      return new PairLog.Damage(pos, remaining, "zero bytes (a write cut short by a crash)", PairLog.Damage.Kind.TORN_TAIL);
    }
    return new PairLog.Damage(pos, remaining, "bytes that are not an intact record (a checksum that does not"
        + " match or a broken frame), with no intact record after them", PairLog.Damage.Kind.DAMAGED_TAIL);
  }

  private static boolean allZero(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static PairLogRecordProto parseOrUnknown(byte[] bytes, int offset, int length) {
    try {
      return PairLogRecordProto.parseFrom(Arrays.copyOfRange(bytes, offset, offset + length));
    } catch (InvalidProtocolBufferException e) {
      // The checksum matched, so these are the bytes a writer meant: not damage, just not ours.
      return PairLogRecordProto.getDefaultInstance();
    }
  }

  /**
   * A legacy log: with no checksum, a record that does not parse can only be skipped where it is the
   * last one; what follows a bad record in the middle cannot be verified.
   */
  private static PairLogScan legacy(byte[] bytes) {
    List<Entry> entries = new ArrayList<>();
    List<PairLog.Damage> damage = new ArrayList<>();
    int n = bytes.length;
    int pos = 0;
    while (pos < n) {
      int start = pos;
      long length = 0;
      int shift = 0;
      boolean varintComplete = false;
      while (pos < n && shift < 35) {
        int b = bytes[pos++] & 0xff;
        length |= (long) (b & 0x7f) << shift;
        shift += 7;
        if ((b & 0x80) == 0) {
          varintComplete = true;
          break;
        }
      }
      if (!varintComplete || length > n - pos) {
        damage.add(new PairLog.Damage(start, n - start, "a torn record (its length prefix or its bytes are cut"
            + " short)", PairLog.Damage.Kind.TORN_TAIL));
        break;
      }
      int end = pos + (int) length;
      String problem = null;
      PairLogRecordProto record = null;
      try {
        record = PairLogRecordProto.parseFrom(Arrays.copyOfRange(bytes, pos, end));
        if (record.getRecordCase() == PairLogRecordProto.RecordCase.RECORD_NOT_SET) {
          problem = "a record of no known type";
        }
      } catch (InvalidProtocolBufferException e) {
        problem = "a record that does not parse";
      }
      if (problem != null) {
        boolean last = end == n;
        damage.add(new PairLog.Damage(start, n - start,
            last ? problem + " (the last record)"
                : problem + " in a log without checksums (written before v3): the " + (n - end)
                    + " bytes after it cannot be verified",
            last ? PairLog.Damage.Kind.DAMAGED_TAIL : PairLog.Damage.Kind.UNVERIFIABLE));
        break;
      }
      entries.add(new Entry(start, pos, (int) length, record));
      pos = end;
    }
    return new PairLogScan(false, entries, damage);
  }
}
