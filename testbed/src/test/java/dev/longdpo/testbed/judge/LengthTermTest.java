package dev.longdpo.testbed.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LengthTermTest {

  @Test
  void slFollowsLongWritersTwoBranches() {
    assertThat(LengthTerm.sl(100, 100)).isCloseTo(100, within(1e-9));
    assertThat(LengthTerm.sl(100, 130)).isCloseTo(90, within(1e-9)); // 1 - 0.3/3
    assertThat(LengthTerm.sl(100, 400)).isCloseTo(0, within(1e-9)); // 1 - 3/3
    assertThat(LengthTerm.sl(100, 80)).isCloseTo(87.5, within(1e-9)); // 1 - 0.25/2
    assertThat(LengthTerm.sl(100, 25)).isCloseTo(0, within(1e-9)); // 1 - 3/2 clipped
    assertThat(LengthTerm.sl(300, 200)).isCloseTo(75, within(1e-9)); // 1 - 0.5/2
  }

  @Test
  void anEmptyOutputScoresZeroAndAZeroRequirementIsBadInput() {
    assertThat(LengthTerm.sl(100, 0)).isZero();
    assertThat(LengthTerm.stepTerm(100, 0)).isZero();
    assertThatThrownBy(() -> LengthTerm.sl(0, 10)).hasMessageContaining("required length 0");
    assertThatThrownBy(() -> LengthTerm.stepTerm(-5, 10)).hasMessageContaining("required length -5");
  }

  @Test
  void theStepTermSwapsTheBranches() {
    assertThat(LengthTerm.stepTerm(100, 80)).isCloseTo(10 * (1 - 0.25 / 3), within(1e-9));
    assertThat(LengthTerm.stepTerm(100, 130)).isCloseTo(10 * (1 - 0.3 / 2), within(1e-9));
    assertThat(LengthTerm.stepTerm(100, 100)).isCloseTo(10, within(1e-9));
  }
}
