package dev.longdpo.testbed.judge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longdpo.testbed.world.Lexicon;
import java.util.List;
import org.junit.jupiter.api.Test;

class FactCheckerTest {

  private final FactChecker facts = new FactChecker(0.8);
  private final String city = Lexicon.get().pool("cityName").get(2);

  @Test
  void extractsEntityAttributeValueTriples() {
    List<Fact> f = facts.extract(city + " was founded in 1217. Visitors come to " + city + " in every season.\n\n"
        + "The main export of " + city + " is glass.");
    assertThat(f).extracting(Fact::attribute).containsExactly("founded", "export");
    assertThat(f.get(0).entity()).isEqualTo(city);
    assertThat(f.get(0).value()).isEqualTo("1217");
    assertThat(f.get(1).value()).isEqualTo("glass");
  }

  @Test
  void theSameAttributeWithAnotherValueContradicts() {
    List<Fact> stored = facts.extract("The main export of " + city + " is glass. " + city + " was founded in 1217.");
    assertThat(facts.check("The main export of " + city + " is salt.", stored))
        .singleElement()
        .satisfies(c -> {
          assertThat(c.stored().value()).isEqualTo("glass");
          assertThat(c.similarity()).isGreaterThanOrEqualTo(0.8);
        });
    assertThat(facts.check("The main export of " + city + " is glass.", stored)).isEmpty();
    assertThat(facts.check("The climate of " + city + " is cold.", stored)).isEmpty();
  }

  @Test
  void anotherEntityDoesNotContradict() {
    String other = Lexicon.get().pool("cityName").get(5);
    List<Fact> stored = facts.extract("The main export of " + city + " is glass.");
    assertThat(facts.check("The main export of " + other + " is salt.", stored)).isEmpty();
  }

  @Test
  void theGateKeepsUnrelatedStatementsApart() {
    // Four of five words shared: exactly the gate (0.8), up to rounding.
    assertThat(FactChecker.similarity(city + " was founded in 1217.", city + " was founded in 1224.")).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(FactChecker.similarity(city + " was founded in 1217.", "The climate of " + city + " is cold.")).isLessThan(0.8);
    // With a gate of 1.0 even a same-attribute statement with another value is not compared.
    FactChecker strict = new FactChecker(1.0);
    assertThat(strict.check(city + " was founded in 1224.", facts.extract(city + " was founded in 1217."))).isEmpty();
  }
}
