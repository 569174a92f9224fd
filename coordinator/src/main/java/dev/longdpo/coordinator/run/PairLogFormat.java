package dev.longdpo.coordinator.run;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The pair log's bytes on disk.
 *
 * <p>Checksummed (v3, written since this class exists): a header {@link #HEADER}, then records, each
 * {@code [u32 length][u32 CRC32C][payload]} (little-endian), the checksum taken over the length's
 * four bytes and the payload, so a bit flipped anywhere in a record, or garbage that happens to
 * parse as Protobuf, is detected. The fixed frame also lets a reader find the next intact record
 * after damage: any later offset whose length and checksum agree.
 *
 * <p>Legacy (v1 and v2 logs): no header; records {@code [varint length][payload]} with no checksum.
 * They are still read; appending to one rewrites it as v3 first.
 */
final class PairLogFormat {

  /**
   * The header of a checksummed log. Its first byte, 0, cannot begin a legacy log: it would be a
   * zero-length record, which holds no record type and was never written.
   */
  static final byte[] HEADER = {0, 'L', 'D', 'P', 'A', 'I', 'R', 'S', 3};

  /** Bytes of a record's frame before its payload: length and checksum. */
  static final int FRAME = 8;

  /** The largest payload a reader accepts (a pair of two 96-token steps is a few KB). */
  static final int MAX_PAYLOAD = 64 << 20;

  private PairLogFormat() {}

  /** Whether {@code bytes} start with the checksummed format's header. */
  static boolean isChecksummed(byte[] bytes) {
    if (bytes.length < HEADER.length) {
      return false;
    }
    for (int i = 0; i < HEADER.length; i++) {
      if (bytes[i] != HEADER[i]) {
        return false;
      }
    }
    return true;
  }

  /** One checksummed record: frame and payload. */
  static byte[] frame(byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(FRAME + payload.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(payload.length);
    b.putInt(0);
    b.put(payload);
    byte[] out = b.array();
    int crc = checksum(out, 0, payload.length);
    ByteBuffer.wrap(out, 4, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(crc);
    return out;
  }

  /** The checksum of the record at {@code offset}: its length field and {@code length} payload bytes. */
  static int checksum(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, 4);
    crc.update(bytes, offset + FRAME, length);
    return (int) crc.getValue();
  }

  /** The little-endian int at {@code offset}. */
  static int intAt(byte[] bytes, int offset) {
    return ByteBuffer.wrap(bytes, offset, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
  }

  /**
   * The payload length of an intact checksummed record at {@code offset}, or -1 if none starts
   * there (too short, a length out of range, or a checksum that does not match).
   */
  static int intactRecordAt(byte[] bytes, int offset) {
    if (offset + FRAME > bytes.length) {
      return -1;
    }
    int length = intAt(bytes, offset);
    if (length <= 0 || length > MAX_PAYLOAD || length > bytes.length - offset - FRAME) {
      return -1;
    }
    return checksum(bytes, offset, length) == intAt(bytes, offset + 4) ? length : -1;
  }
}
