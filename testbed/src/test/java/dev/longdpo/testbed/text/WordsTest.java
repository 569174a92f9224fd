package dev.longdpo.testbed.text;

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

  @Test
  void splitsParagraphsSentencesAndHeaders() {
    String text = "Week 2: One two. Three!\n\n\nFour?";
    assertThat(Paragraphs.split(text)).containsExactly("Week 2: One two. Three!", "Four?");
    assertThat(Paragraphs.header("Week 2: One two.")).contains(new Paragraphs.Header("Week", 2));
    assertThat(Paragraphs.sentences("Week 2: One two. Three!")).containsExactly("One two.", "Three!");
  }
}
