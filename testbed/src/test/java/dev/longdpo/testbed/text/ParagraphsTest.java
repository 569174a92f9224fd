package dev.longdpo.testbed.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ParagraphsTest {

  @Test
  void splitsParagraphsSentencesAndHeaders() {
    String text = "Week 2: One two. Three!\n\n\nFour?";
    assertThat(Paragraphs.split(text)).containsExactly("Week 2: One two. Three!", "Four?");
    assertThat(Paragraphs.header("Week 2: One two.")).contains(new Paragraphs.Header("Week", 2));
    assertThat(Paragraphs.sentences("Week 2: One two. Three!")).containsExactly("One two.", "Three!");
  }
}
