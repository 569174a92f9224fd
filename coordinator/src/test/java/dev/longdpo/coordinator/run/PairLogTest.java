package dev.longdpo.coordinator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.CodedOutputStream;
import dev.longdpo.protocol.internal.proto.PairLogRecordProto;
import dev.longdpo.protocol.pairs.PairCodec;
import dev.longdpo.protocol.pairs.PairStep;
import dev.longdpo.protocol.pairs.PreferencePair;
import dev.longdpo.protocol.pairs.TreeCompleted;
import dev.longdpo.protocol.search.StepScore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pair log keeps every intact record whatever else the file holds. Each damage test builds a
 * log of known records, damages it in one place, and asserts exactly which records survive, what
 * was set aside, and that appending goes on afterwards.
 */
class PairLogTest {

  @TempDir Path dir;

  /** A v1 record: written before pairs carried their prompt's pair count (0). */
  static PreferencePair v1Pair(String prompt, int depth) {
    StepScore s = new StepScore(List.of(4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0), 5, 4, 9);
    return new PreferencePair(PreferencePair.id("r", prompt, depth), "r", prompt, depth, "Write.", "[INST] Write. [/INST]",
        new int[] {1, 2}, new PairStep(" Good.\n\n", new int[] {3}, false, s, -1, 9),
        new PairStep(" Bad.\n\n", new int[] {4}, false, s, -2, 7), false, 0, false, 0);
  }

  static PreferencePair pair(String prompt, int depth) {
    return v1Pair(prompt, depth).withPromptPairs(3);
  }

  /** A completion record whose fields all differ, so a field written into another's slot shows. */
  static TreeCompleted completion(String prompt) {
    return new TreeCompleted(prompt, 3, 4, 5, 6, 7, 8, "the answer", true, 9, 10, 11);
  }

  private Path writeLog(List<PreferencePair> pairs) throws IOException {
    Path file = dir.resolve("pairs.log");
    try (PairLog log = PairLog.open(file)) {
      log.append(pairs);
      log.flush();
    }
    return file;
  }

  private static List<String> ids(List<PreferencePair> pairs) {
    return pairs.stream().map(PreferencePair::pairId).toList();
  }

  /** Byte offsets where each record's frame starts in a checksummed log. */
  private static List<Integer> recordOffsets(byte[] bytes) {
    List<Integer> out = new ArrayList<>();
    int pos = PairLogFormat.HEADER.length;
    while (pos < bytes.length) {
      out.add(pos);
      pos += PairLogFormat.FRAME + PairLogFormat.intAt(bytes, pos);
    }
    return out;
  }

  @Test
  void aV1LogGetsEachPairsPromptCountFromTheTreeCompletedRecords() throws Exception {
    Path file = LegacyLog.write(dir.resolve("pairs.log"), List.of(v1Pair("a", 1), v1Pair("a", 2), v1Pair("b", 1)),
        List.of(new TreeCompleted("a", 2, 2, 0, 0, 0, 4, "text", true, 0, 0, 0)));
    // Prompt b never completed (the run stopped): its count stays unknown.
    assertThat(PairLog.readOnly(file).pairs())
        .extracting(PreferencePair::promptId, PreferencePair::promptPairs)
        .containsExactly(tuple("a", 2), tuple("a", 2), tuple("b", 0));
  }

  @Test
  void aCompletionRecordComesBackFieldByField() throws Exception {
    Path file = dir.resolve("pairs.log");
    TreeCompleted t = completion("p");
    try (PairLog log = PairLog.open(file)) {
      log.appendCompleted(t);
    }
    TreeCompleted back = PairLog.readOnly(file).completed().get("p");
    assertThat(back).usingRecursiveComparison().isEqualTo(t);
  }

  @Test
  void aPairIdIsWrittenOnceWithinABatchAcrossBatchesAndAcrossReopening() throws Exception {
    Path file = dir.resolve("pairs.log");
    try (PairLog log = PairLog.open(file)) {
      assertThat(log.append(List.of(pair("a", 1), pair("a", 1), pair("a", 2)))).hasSize(2);
      assertThat(log.append(List.of(pair("a", 2)))).isEmpty();
    }
    try (PairLog log = PairLog.open(file)) {
      assertThat(log.append(List.of(pair("a", 1), pair("b", 1)))).extracting(PreferencePair::promptId).containsExactly("b");
    }
    assertThat(ids(PairLog.pairRecords(file))).containsExactly("r/a/1", "r/a/2", "r/b/1");
  }

  @Test
  void aTornLengthPrefixIsCutAndEveryEarlierRecordKept() throws Exception {
    Path file = writeLog(List.of(pair("a", 1), pair("a", 2), pair("a", 3)));
    byte[] bytes = Files.readAllBytes(file);
    int third = recordOffsets(bytes).get(2);
    Files.write(file, Arrays.copyOf(bytes, third + 3)); // the crash left 3 of the length's 4 bytes

    PairLog.Contents read = PairLog.readOnly(file);
    assertThat(ids(read.pairs())).containsExactly("r/a/1", "r/a/2");
    assertThat(read.damage()).singleElement().satisfies(d -> {
      assertThat(d.kind()).isEqualTo(PairLog.Damage.Kind.TORN_TAIL);
      assertThat(d.offset()).isEqualTo(third);
      assertThat(d.length()).isEqualTo(3);
    });
    assertThat(Files.size(file)).as("reading never changes the file").isEqualTo(third + 3);

    try (PairLog log = PairLog.open(file)) {
      assertThat(log.contents().setAside()).as("a torn write holds nothing to keep").isEmpty();
      log.append(List.of(pair("a", 3)));
    }
    PairLog.Contents after = PairLog.readOnly(file);
    assertThat(ids(after.pairs())).containsExactly("r/a/1", "r/a/2", "r/a/3");
    assertThat(after.damage()).isEmpty();
  }

  @Test
  void aCorruptRecordInTheMiddleIsSetAsideAndEveryOtherRecordKept() throws Exception {
    Path file = writeLog(List.of(pair("a", 1), pair("a", 2), pair("a", 3), pair("b", 1)));
    byte[] bytes = Files.readAllBytes(file);
    List<Integer> at = recordOffsets(bytes);
    int second = at.get(1);
    int damagedLength = at.get(2) - second;
    byte[] damaged = bytes.clone();
    for (int i = second; i < second + 12; i++) {
      damaged[i] = (byte) 0xA5; // the frame and the start of the payload overwritten
    }
    Files.write(file, damaged);

    try (PairLog log = PairLog.open(file)) {
      PairLog.Contents c = log.contents();
      assertThat(ids(c.pairs())).containsExactly("r/a/1", "r/a/3", "r/b/1");
      assertThat(c.damage()).singleElement().satisfies(d -> {
        assertThat(d.kind()).isEqualTo(PairLog.Damage.Kind.DAMAGED_MIDDLE);
        assertThat(d.offset()).isEqualTo(second);
        assertThat(d.length()).isEqualTo(damagedLength);
      });
      Path side = dir.resolve("pairs.log.damaged-at-" + second);
      assertThat(c.setAside()).containsExactly(side);
      assertThat(Files.readAllBytes(side)).isEqualTo(Arrays.copyOfRange(damaged, second, second + damagedLength));
      log.append(List.of(pair("a", 2)));
    }
    PairLog.Contents after = PairLog.readOnly(file);
    assertThat(ids(after.pairs())).containsExactly("r/a/1", "r/a/3", "r/b/1", "r/a/2");
    assertThat(after.damage()).as("the log was rewritten without the damage").isEmpty();
  }

  @Test
  void bytesThatStillParseButFailTheChecksumAreCaught() throws Exception {
    Path file = writeLog(List.of(pair("a", 1), pair("a", 2), pair("a", 3)));
    byte[] bytes = Files.readAllBytes(file);
    int second = recordOffsets(bytes).get(1);
    int payload = second + PairLogFormat.FRAME;
    int length = PairLogFormat.intAt(bytes, second);
    // Change one letter of the chosen step's text: the record still parses, into another pair.
    int g = indexOf(bytes, " Good.".getBytes(StandardCharsets.UTF_8), payload);
    bytes[g + 1] = 'H';
    PairLogRecordProto flipped = PairLogRecordProto.parseFrom(Arrays.copyOfRange(bytes, payload, payload + length));
    assertThat(flipped.getPair().getChosen().getText()).isEqualTo(" Hood.\n\n");
    Files.write(file, bytes);

    PairLog.Contents read = PairLog.readOnly(file);
    assertThat(ids(read.pairs())).containsExactly("r/a/1", "r/a/3");
    assertThat(read.pairs()).extracting(p -> p.chosen().text()).containsOnly(" Good.\n\n");
    assertThat(read.damage()).singleElement().satisfies(d -> assertThat(d.offset()).isEqualTo(second));
  }

  @Test
  void aCorruptLastRecordOfFullSizeIsSetAsideNotJustCut() throws Exception {
    Path file = writeLog(List.of(pair("a", 1), pair("a", 2)));
    byte[] bytes = Files.readAllBytes(file);
    int second = recordOffsets(bytes).get(1);
    bytes[bytes.length - 3] ^= 0x40;
    Files.write(file, bytes);

    try (PairLog log = PairLog.open(file)) {
      assertThat(ids(log.contents().pairs())).containsExactly("r/a/1");
      assertThat(log.contents().damage()).singleElement()
          .satisfies(d -> assertThat(d.kind()).isEqualTo(PairLog.Damage.Kind.DAMAGED_TAIL));
      assertThat(Files.readAllBytes(dir.resolve("pairs.log.damaged-at-" + second)))
          .isEqualTo(Arrays.copyOfRange(bytes, second, bytes.length));
    }
  }

  @Test
  void aRecordOfATypeThisBuildDoesNotKnowIsKeptAndSkipped() throws Exception {
    Path file = writeLog(List.of(pair("a", 1)));
    // What a newer build might write: field 9 of PairLogRecordProto, length-delimited.
    byte[] newer = {(byte) 0x4a, 3, 'n', 'e', 'w'};
    try (var out = Files.newOutputStream(file, java.nio.file.StandardOpenOption.APPEND)) {
      out.write(PairLogFormat.frame(newer));
    }
    try (PairLog log = PairLog.open(file)) {
      assertThat(log.contents().unknownRecords()).isEqualTo(1);
      assertThat(log.contents().damage()).isEmpty();
      log.append(List.of(pair("a", 2)));
    }
    byte[] bytes = Files.readAllBytes(file);
    assertThat(indexOf(bytes, PairLogFormat.frame(newer), 0)).as("still in the file").isPositive();
    PairLog.Contents after = PairLog.readOnly(file);
    assertThat(ids(after.pairs())).containsExactly("r/a/1", "r/a/2");
    assertThat(after.unknownRecords()).isEqualTo(1);
  }

  @Test
  void aLegacyLogIsReadAndRewrittenWithChecksumsOnItsFirstAppend() throws Exception {
    Path file = LegacyLog.write(dir.resolve("pairs.log"), List.of(pair("a", 1), pair("a", 2)), List.of(completion("a")));
    assertThat(ids(PairLog.readOnly(file).pairs())).containsExactly("r/a/1", "r/a/2");

    try (PairLog log = PairLog.open(file)) {
      assertThat(log.contents().completed()).containsOnlyKeys("a");
      log.append(List.of(pair("b", 1)));
    }
    byte[] bytes = Files.readAllBytes(file);
    assertThat(PairLogFormat.isChecksummed(bytes)).isTrue();
    PairLog.Contents after = PairLog.readOnly(file);
    assertThat(ids(after.pairs())).containsExactly("r/a/1", "r/a/2", "r/b/1");
    assertThat(after.completed().get("a")).isEqualTo(completion("a"));
  }

  @Test
  void aLegacyLogsTornTailIsCut() throws Exception {
    Path file = LegacyLog.write(dir.resolve("pairs.log"), List.of(pair("a", 1), pair("a", 2)), List.of());
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 7));
    try (PairLog log = PairLog.open(file)) {
      assertThat(ids(log.contents().pairs())).containsExactly("r/a/1");
      assertThat(log.contents().droppedTailBytes()).isPositive();
    }
    assertThat(PairLog.readOnly(file).damage()).isEmpty();
  }

  @Test
  void aLegacyLogDamagedInTheMiddleIsRefusedAndLeftAsItWas() throws Exception {
    Path file = LegacyLog.write(dir.resolve("pairs.log"), List.of(pair("a", 1), pair("a", 2), pair("a", 3)), List.of());
    byte[] bytes = Files.readAllBytes(file);
    int second = LegacyLog.recordOffsets(bytes).get(1);
    int payload = LegacyLog.payloadOffsets(bytes).get(1);
    bytes[payload] = (byte) 0xff; // the second record's first tag: it no longer parses
    Files.write(file, bytes);

    assertThatThrownBy(() -> PairLog.open(file))
        .isInstanceOf(PairLog.DamagedLogException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("at byte " + second)
        .hasMessageContaining("intact records before it: 1")
        .hasMessageContaining("truncate -s " + second);
    assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
    assertThat(Files.list(dir)).containsExactly(file);
    PairLog.Contents read = PairLog.readOnly(file);
    assertThat(ids(read.pairs())).containsExactly("r/a/1");
    assertThat(read.damage()).singleElement()
        .satisfies(d -> assertThat(d.kind()).isEqualTo(PairLog.Damage.Kind.UNVERIFIABLE));
  }

  @Test
  void aNewLogStartsWithTheHeader() throws Exception {
    Path file = dir.resolve("pairs.log");
    try (PairLog log = PairLog.open(file)) {
      assertThat(log.contents().pairs()).isEmpty();
    }
    assertThat(Files.readAllBytes(file)).isEqualTo(PairLogFormat.HEADER);
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Writes logs as builds before checksums did: {@code [varint length][record]}, no header. */
  static final class LegacyLog {

    static Path write(Path file, List<PreferencePair> pairs, List<TreeCompleted> completed) throws IOException {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(buf);
      for (PreferencePair p : pairs) {
        record(out, PairLogRecordProto.newBuilder().setPair(PairCodec.toProto(p)).build());
      }
      for (TreeCompleted t : completed) {
        record(out, PairLogRecordProto.newBuilder().setTreeCompleted(PairCodec.toProto(t)).build());
      }
      out.flush();
      Files.write(file, buf.toByteArray());
      return file;
    }

    private static void record(CodedOutputStream out, PairLogRecordProto r) throws IOException {
      out.writeUInt32NoTag(r.getSerializedSize());
      r.writeTo(out);
    }

    /** Where each record's length prefix starts. */
    static List<Integer> recordOffsets(byte[] bytes) throws IOException {
      return offsets(bytes, false);
    }

    /** Where each record's payload starts. */
    static List<Integer> payloadOffsets(byte[] bytes) throws IOException {
      return offsets(bytes, true);
    }

    private static List<Integer> offsets(byte[] bytes, boolean payload) throws IOException {
      List<Integer> out = new ArrayList<>();
      var in = com.google.protobuf.CodedInputStream.newInstance(bytes);
      while (!in.isAtEnd()) {
        int start = in.getTotalBytesRead();
        int length = in.readUInt32();
        out.add(payload ? in.getTotalBytesRead() : start);
        in.skipRawBytes(length);
      }
      return out;
    }
  }

  @Test
  void pairsAreServedFromTheFileInLogOrderBufferedOnesIncluded() throws Exception {
    Path file = dir.resolve("view.log");
    List<PreferencePair> written = new java.util.ArrayList<>();
    try (PairLog log = PairLog.open(file)) {
      for (int d = 1; d <= 3; d++) {
        written.add(dev.longdpo.protocol.ProtocolSamples.samplePair(d));
      }
      log.append(written);
      log.flush();
      PreferencePair buffered = dev.longdpo.protocol.ProtocolSamples.samplePair(4);
      log.append(List.of(buffered, written.get(0))); // a repeated id is not a new pair
      written.add(buffered);
      assertThat(log.pairCount()).isEqualTo(4);
      assertThat(log.pairs()).as("read back, the unflushed one too").isEqualTo(written);
    }
    try (PairLog log = PairLog.open(file)) {
      assertThat(log.contents().pairs()).isEqualTo(written);
      PreferencePair next = dev.longdpo.protocol.ProtocolSamples.samplePair(5);
      log.append(List.of(next));
      assertThat(log.pairs()).hasSize(5).endsWith(next);
      assertThat(log.contents().pairs()).as("what the log held when opened").hasSize(4);
    }
  }
}
