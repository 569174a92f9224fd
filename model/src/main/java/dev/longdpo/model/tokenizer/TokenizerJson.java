package dev.longdpo.model.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The parts every {@code tokenizer.json} that longdpo writes shares (Hugging Face tokenizers'
 * format): the header, special-token entries, and a post-processor that puts BOS in front.
 */
public final class TokenizerJson {

  private TokenizerJson() {}

  /** A document with version 1.0, truncation and padding off, and an empty added-token list. */
  public static ObjectNode root() {
    ObjectNode root = new ObjectMapper().createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    root.putArray("added_tokens");
    return root;
  }

  /** Declares {@code content} as special token {@code id} in {@code root}'s added tokens. */
  public static void addSpecialToken(ObjectNode root, int id, String content) {
    ((ArrayNode) root.get("added_tokens")).addObject().put("id", id).put("content", content)
        .put("single_word", false).put("lstrip", false).put("rstrip", false).put("normalized", false)
        .put("special", true);
  }

  /** A template post-processor that prepends {@code bos} (id {@code bosId}) to each sequence. */
  public static void putBosPostProcessor(ObjectNode root, String bos, int bosId) {
    ObjectNode post = root.putObject("post_processor");
    post.put("type", "TemplateProcessing");
    ArrayNode single = post.putArray("single");
    single.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 0);
    single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    ArrayNode pair = post.putArray("pair");
    pair.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 0);
    pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
    ObjectNode token = post.putObject("special_tokens").putObject(bos);
    token.put("id", bos);
    token.putArray("ids").add(bosId);
    token.putArray("tokens").add(bos);
  }
}
