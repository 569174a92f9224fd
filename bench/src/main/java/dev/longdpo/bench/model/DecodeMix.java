package dev.longdpo.bench.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The shapes of a workload's generate calls, recorded from a real run so that a benchmark can
 * replay them on a random model of the same shape: per call, each row's prefix length and the
 * number of tokens it sampled.
 *
 * <p>Text form, one call per line: {@code prefix:new prefix:new ...}; {@code #} starts a comment.
 *
 * @param name what was recorded ("search", "eval")
 * @param calls the calls in recorded order
 */
public record DecodeMix(String name, List<List<Row>> calls) {

  /** One sequence of a call. */
  public record Row(int prefixLength, int newTokens) {}

  /** Reads the mix recorded under {@code name} from this package's resources. */
  public static DecodeMix resource(String name) {
    String file = "decode-mix-" + name + ".txt";
    try (InputStream in = DecodeMix.class.getResourceAsStream(file)) {
      if (in == null) {
        throw new IllegalStateException("no recorded decode mix " + file + " on the class path");
      }
      return parse(name, file, in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static DecodeMix parse(String name, String where, InputStream in) throws IOException {
    List<List<Row>> calls = new ArrayList<>();
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    int lineNo = 0;
    for (String line = r.readLine(); line != null; line = r.readLine()) {
      lineNo++;
      String s = line.strip();
      if (s.isEmpty() || s.startsWith("#")) {
        continue;
      }
      List<Row> call = new ArrayList<>();
      for (String field : s.split("\\s+")) {
        String[] pn = field.split(":");
        try {
          call.add(new Row(Integer.parseInt(pn[0]), Integer.parseInt(pn[1])));
        } catch (RuntimeException e) {
          throw new IllegalArgumentException(where + " line " + lineNo + ": '" + field + "' is not prefix:new");
        }
      }
      calls.add(List.copyOf(call));
    }
    return new DecodeMix(name, List.copyOf(calls));
  }

  /** The text form, with a comment line saying where it came from. */
  public String format(String comment) {
    StringBuilder b = new StringBuilder("# ").append(comment).append('\n');
    for (List<Row> call : calls) {
      for (int i = 0; i < call.size(); i++) {
        b.append(i == 0 ? "" : " ").append(call.get(i).prefixLength()).append(':').append(call.get(i).newTokens());
      }
      b.append('\n');
    }
    return b.toString();
  }

  /** Sampled tokens over every call. */
  public long newTokens() {
    long n = 0;
    for (List<Row> call : calls) {
      for (Row row : call) {
        n += row.newTokens();
      }
    }
    return n;
  }

  /** The first calls holding at least {@code tokens} sampled tokens (all of them if fewer). */
  public DecodeMix firstTokens(long tokens) {
    List<List<Row>> kept = new ArrayList<>();
    long n = 0;
    for (List<Row> call : calls) {
      if (n >= tokens) {
        break;
      }
      kept.add(call);
      for (Row row : call) {
        n += row.newTokens();
      }
    }
    return new DecodeMix(name, List.copyOf(kept));
  }
}
