package dev.longdpo.actors.backend;

import dev.longdpo.testbed.judge.Fact;
import dev.longdpo.testbed.judge.FactChecker;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The testbed's fact checker behind the {@link Facts} interface. It compares triples, so stored
 * facts without one (free text from another checker) are not checked against.
 */
public final class TestbedFacts implements Facts {

  private final FactChecker checker;

  /** @param similarityThreshold the similarity gate (the paper's 0.8) */
  public TestbedFacts(double similarityThreshold) {
    this.checker = new FactChecker(similarityThreshold);
  }

  @Override
  public List<StatedFact> extract(String text) {
    List<StatedFact> out = new ArrayList<>();
    for (Fact f : checker.extract(text)) {
      out.add(StatedFact.of(f.entity(), f.attribute(), f.value(), f.sentence()));
    }
    return out;
  }

  @Override
  public List<StatedFact> contradicted(String text, Collection<StatedFact> stored) {
    List<Fact> pool = new ArrayList<>();
    for (StatedFact s : stored) {
      s.triple().ifPresent(t -> pool.add(new Fact(t.entity(), t.attribute(), t.value(), s.statement())));
    }
    List<StatedFact> out = new ArrayList<>();
    for (FactChecker.Contradiction c : checker.check(text, pool)) {
      Fact f = c.stored();
      out.add(StatedFact.of(f.entity(), f.attribute(), f.value(), f.sentence()));
    }
    return out;
  }
}
