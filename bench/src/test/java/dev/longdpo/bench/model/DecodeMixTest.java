package dev.longdpo.bench.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.longdpo.actors.evaluator.EvalSettings;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecodeMixTest {

  @Test
  void theRecordedMixesAreOnTheClassPathWithTheirShapes() {
    DecodeMix search = DecodeMix.resource("search");
    DecodeMix eval = DecodeMix.resource("eval");
    assertThat(search.calls()).hasSizeGreaterThan(10);
    assertThat(eval.calls()).isNotEmpty();
    // Recorded at the evaluator's batch size: it decodes that many rows a call but for the last.
    int batch = EvalSettings.create(ConfigFactory.load()).batchSize();
    assertThat(eval.calls().get(0)).hasSize(batch);
    assertThat(search.newTokens()).isGreaterThan(6000); // P9 replays the first 6000 tokens
  }

  @Test
  void aMixRoundTripsThroughItsTextAndIsCutByTokens() throws Exception {
    DecodeMix mix = new DecodeMix("t", List.of(
        List.of(new DecodeMix.Row(18, 28), new DecodeMix.Row(18, 30)),
        List.of(new DecodeMix.Row(52, 21))));
    String text = mix.format("a test");
    DecodeMix back = DecodeMix.parse("t", "t.txt", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    assertThat(back).isEqualTo(mix);
    assertThat(mix.newTokens()).isEqualTo(79);
    assertThat(mix.firstTokens(50).calls()).hasSize(1);
    assertThat(mix.firstTokens(59).calls()).hasSize(2);
  }

  @Test
  void aBadLineIsNamedWithItsFileAndLine() {
    String text = "# header\n18:28 18:30\n52-21\n";
    assertThatThrownBy(() -> DecodeMix.parse("t", "decode-mix-t.txt",
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))))
        .hasMessageContaining("decode-mix-t.txt line 3")
        .hasMessageContaining("52-21");
  }
}
