package dev.longdpo.testbed.corpus;

/**
 * What was planted in one answer (or summed over many).
 *
 * @param sentences sentences written
 * @param repeatedSentences sentences that copy an earlier one
 * @param repeatedParagraphs paragraphs that copy an earlier one
 * @param offTopicSentences sentences about another subject
 * @param factSentences sentences that state a fact
 * @param contradictions fact sentences with a wrong value
 * @param answers answers written
 * @param stoppedShort answers stopped well short of the required length
 * @param ranLong answers that ran well past it
 * @param sections sections written in sectioned answers
 * @param missingSections sections left out
 * @param misplacedSections swaps of neighbouring sections
 * @param requiredMentions mentions the instructions asked for
 * @param ignoredInstructions required mentions left out
 */
public record PlantedFlaws(
    int sentences,
    int repeatedSentences,
    int repeatedParagraphs,
    int offTopicSentences,
    int factSentences,
    int contradictions,
    int answers,
    int stoppedShort,
    int ranLong,
    int sections,
    int missingSections,
    int misplacedSections,
    int requiredMentions,
    int ignoredInstructions) {

  /** Nothing counted. */
  public static final PlantedFlaws ZERO = new PlantedFlaws(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** Field-wise sum. */
  public PlantedFlaws plus(PlantedFlaws o) {
    return new PlantedFlaws(
        sentences + o.sentences,
        repeatedSentences + o.repeatedSentences,
        repeatedParagraphs + o.repeatedParagraphs,
        offTopicSentences + o.offTopicSentences,
        factSentences + o.factSentences,
        contradictions + o.contradictions,
        answers + o.answers,
        stoppedShort + o.stoppedShort,
        ranLong + o.ranLong,
        sections + o.sections,
        missingSections + o.missingSections,
        misplacedSections + o.misplacedSections,
        requiredMentions + o.requiredMentions,
        ignoredInstructions + o.ignoredInstructions);
  }
}
