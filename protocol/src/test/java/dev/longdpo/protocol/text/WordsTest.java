package dev.longdpo.protocol.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WordsTest {

  @Test
  void countsLettersRunsAndCjkCharactersLikeLongWriter() {
    assertThat(Words.count("Hello, world 123 abc-def")).isEqualTo(4);
    assertThat(Words.count("")).isZero();
    assertThat(Words.count("Week 3: it's")).isEqualTo(3); // it, s
    assertThat(Words.count("长文本 ok")).isEqualTo(4);
  }
}
