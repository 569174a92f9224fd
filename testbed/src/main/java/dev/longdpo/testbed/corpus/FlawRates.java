package dev.longdpo.testbed.corpus;

/**
 * How often reference answers carry each flaw. The base model trained on them inherits the flaws,
 * which gives LongDPO's search, critique and memory pool something to fix.
 *
 * @param repeatSentence per sentence: copy an earlier sentence instead
 * @param repeatParagraph per answer: repeat an earlier paragraph
 * @param offTopic per sentence: a sentence about another subject
 * @param contradiction per fact sentence: state a wrong value
 * @param stopShort per answer: stop at 40–65% of the required length
 * @param runLong per answer: run on to 140–190% of the required length
 * @param missingSection per sectioned answer: leave one section out
 * @param misplacedSection per sectioned answer: swap two neighbouring sections
 * @param ignoredInstruction per required mention: leave it out
 */
public record FlawRates(
    double repeatSentence,
    double repeatParagraph,
    double offTopic,
    double contradiction,
    double stopShort,
    double runLong,
    double missingSection,
    double misplacedSection,
    double ignoredInstruction) {

  /** Checks every rate is a probability. */
  public FlawRates {
    double[] all = {repeatSentence, repeatParagraph, offTopic, contradiction, stopShort, runLong,
        missingSection, misplacedSection, ignoredInstruction};
    for (double p : all) {
      if (!(p >= 0 && p <= 1)) {
        throw new IllegalArgumentException("flaw rates must be in [0, 1]: " + this);
      }
    }
    if (stopShort + runLong > 1) {
      throw new IllegalArgumentException("stop-short + run-long must be <= 1");
    }
  }

  /** No flaws: the clean references the judge should prefer. */
  public static FlawRates none() {
    return new FlawRates(0, 0, 0, 0, 0, 0, 0, 0, 0);
  }
}
