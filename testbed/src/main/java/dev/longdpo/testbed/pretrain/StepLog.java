package dev.longdpo.testbed.pretrain;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every pretraining step's loss, gradient norm and learning rate, one line a step, exactly (each
 * number as the shortest decimal that reads back to the same bits). Two runs that should be
 * identical are compared with {@code diff}: the first differing line is the first step whose
 * numbers differ. Kept in the work directory while training (a resumed run keeps the lines up
 * to its checkpoint and appends), then copied beside the model as {@value #FILE}.
 */
final class StepLog implements AutoCloseable {

  static final String FILE = "pretrain_steps.tsv";
  static final String HEADER = "step\tloss\tgrad_norm\tlearning_rate\tskipped";

  private final Path file;
  private final BufferedWriter out;

  private StepLog(Path file, BufferedWriter out) {
    this.file = file;
    this.out = out;
  }

  /** Opens the log in {@code workDir}, keeping the lines of steps up to {@code resumedAt}. */
  static StepLog open(Path workDir, long resumedAt) throws IOException {
    Path file = workDir.resolve(FILE);
    List<String> kept = new ArrayList<>();
    kept.add(HEADER);
    if (resumedAt > 0 && Files.exists(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        int tab = line.indexOf('\t');
        if (tab > 0 && Character.isDigit(line.charAt(0)) && Long.parseLong(line.substring(0, tab)) <= resumedAt) {
          kept.add(line);
        }
      }
    }
    Files.write(file, kept, StandardCharsets.UTF_8);
    BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    return new StepLog(file, out);
  }

  /** One step's numbers. */
  void step(long step, double loss, double gradNorm, double learningRate, boolean skipped) throws IOException {
    out.write(String.format(Locale.ROOT, "%d\t%s\t%s\t%s\t%s%n", step, Float.toString((float) loss),
        Double.toString(gradNorm), Double.toString(learningRate), skipped));
  }

  /** Makes the lines so far durable (at each checkpoint, so a resume finds them). */
  void flush() throws IOException {
    out.flush();
  }

  /** The log's file. */
  Path file() {
    return file;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
