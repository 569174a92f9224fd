package dev.longdpo.testbed.text;

import dev.longdpo.testbed.world.Template;
import java.util.List;

/** Sentences that carry a sectioned task's required mentions. */
public final class SectionTemplates {

  private SectionTemplates() {}

  /** Mention sentences: {@code {item}} comes from the lexicon's mention items. */
  public static List<Template> mentions() {
    return List.of(
        Template.neutral("mention", "This week I saw {item}."),
        Template.neutral("mention", "This floor shows {item}."));
  }

  /** The mention sentence for a section label. */
  public static Template mentionFor(String label) {
    return label.equals("Floor") ? mentions().get(1) : mentions().get(0);
  }
}
