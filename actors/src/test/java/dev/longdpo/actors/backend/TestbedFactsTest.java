package dev.longdpo.actors.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longdpo.testbed.world.World;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestbedFactsTest {

  private static final World.Subject CITY = World.get().subjects("city").get(0);

  @Test
  void triplesAreCheckedAndFreeTextStatementsAreKeptButNotCompared() {
    TestbedFacts facts = new TestbedFacts(0.8);
    String export = CITY.facts().get("export");
    String wrong = export.equals("salt") ? "wool" : "salt";
    String stated = "The main export of " + CITY.name() + " is " + export + ".";
    List<StatedFact> extracted = facts.extract(stated);
    assertThat(extracted).singleElement().satisfies(f -> {
      assertThat(f.statement()).isEqualTo(stated);
      assertThat(f.triple()).hasValueSatisfying(t -> assertThat(t.value()).isEqualTo(export));
    });
    String contradiction = "The main export of " + CITY.name() + " is " + wrong + ".";
    assertThat(facts.contradicted(contradiction, extracted)).hasSize(1);
    // The same statement as free text (what a language-model checker might store): no triple to compare.
    assertThat(facts.contradicted(contradiction, List.of(StatedFact.text(stated)))).isEmpty();
  }
}
