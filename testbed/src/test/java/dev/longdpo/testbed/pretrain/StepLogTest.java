package dev.longdpo.testbed.pretrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepLogTest {

  @TempDir Path dir;

  @Test
  void eachStepsNumbersReadBackToTheSameBits() throws Exception {
    double loss = 0.44812345678f;
    double norm = 0.7190265431234567;
    try (StepLog log = StepLog.open(dir, 0)) {
      log.step(1, loss, norm, 3e-3, false);
    }
    String[] line = Files.readAllLines(dir.resolve(StepLog.FILE)).get(1).split("\t");
    assertThat(Float.parseFloat(line[1])).isEqualTo((float) loss);
    assertThat(Double.parseDouble(line[2])).isEqualTo(norm);
  }

  @Test
  void aResumedRunKeepsTheStepsUpToItsCheckpointAndAppends() throws Exception {
    try (StepLog log = StepLog.open(dir, 0)) {
      for (int s = 1; s <= 5; s++) {
        log.step(s, s, s, s, false);
      }
    }
    // The checkpoint was at step 3; steps 4 and 5 were lost with the crash and run again.
    try (StepLog log = StepLog.open(dir, 3)) {
      log.step(4, 40, 40, 40, false);
    }
    assertThat(Files.readAllLines(dir.resolve(StepLog.FILE)))
        .extracting(l -> l.split("\t")[0] + ":" + l.split("\t")[1])
        .containsExactly("step:loss", "1:1.0", "2:2.0", "3:3.0", "4:40.0");
  }
}
