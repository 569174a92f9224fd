package dev.longdpo.testbed.world;

import java.util.List;
import java.util.Map;

/**
 * A kind of topic (a city, an inventor, ...): how it is named in a prompt, its attributes with the
 * pool each value comes from, and its aspects with their sentence templates.
 *
 * @param name lower-case id ("city")
 * @param nounPhrase how prompts name an entity, e.g. "the city of {E}"
 * @param namePool the pool subject names come from
 * @param attributes attribute name → value pool name, in prompt order
 * @param aspects aspect name → templates; each paragraph of an answer covers one aspect
 * @param intro templates that open an answer
 * @param conclusion templates that close an answer
 */
public record Kind(
    String name,
    String nounPhrase,
    String namePool,
    Map<String, String> attributes,
    Map<String, List<Template>> aspects,
    List<Template> intro,
    List<Template> conclusion) {

  /** The aspect names, in definition order. */
  public List<String> aspectNames() {
    return List.copyOf(aspects.keySet());
  }
}
