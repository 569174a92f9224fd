package dev.longdpo.testbed.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longdpo.config.files.AtomicFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Task files in LongBench-Write's JSONL shape: one object per line with {@code prompt} and {@code
 * length} (or {@code required_length}, as some copies of the data name it), optionally {@code
 * type} and {@code id} (a line without an id gets its 0-based line
 * index), plus the testbed's {@code topic} and {@code sections}. Real LongBench-Write files load
 * as they are. Blank lines are skipped (they keep their index).
 */
public final class TaskFile {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TaskFile() {}

  /** Reads every task; any bad line fails the whole file with its line number. */
  public static List<WritingTask> read(Path file) {
    List<WritingTask> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int index = 0;
      while ((line = in.readLine()) != null) {
        int lineNumber = index + 1;
        if (!line.isBlank()) {
          WritingTask t = parse(file, lineNumber, index, line);
          if (!ids.add(t.id())) {
            throw new TaskFileException(file, lineNumber, "id '" + t.id() + "' appears twice");
          }
          out.add(t);
        }
        index++;
      }
    } catch (java.nio.file.NoSuchFileException e) {
      throw new TaskFileException(file, "no such file", e);
    } catch (java.nio.charset.MalformedInputException e) {
      throw new TaskFileException(file, "not UTF-8 text", e);
    } catch (IOException e) {
      throw new TaskFileException(file, "cannot be read: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new TaskFileException(file, 1, "no tasks in the file");
    }
    return out;
  }

  private static WritingTask parse(Path file, int lineNumber, int index, String line) {
    JsonNode n;
    try {
      n = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new TaskFileException(file, lineNumber, "invalid JSON: " + e.getOriginalMessage());
    }
    if (n == null || !n.isObject()) {
      throw new TaskFileException(file, lineNumber, "expected a JSON object");
    }
    JsonNode prompt = n.get("prompt");
    if (prompt == null || prompt.isNull()) {
      throw new TaskFileException(file, lineNumber, "missing field 'prompt'");
    }
    if (!prompt.isTextual()) {
      throw new TaskFileException(file, lineNumber, "field 'prompt' must be a string");
    }
    if (prompt.textValue().isBlank()) {
      throw new TaskFileException(file, lineNumber, "field 'prompt' is empty");
    }
    String lengthField = n.hasNonNull("length") || !n.hasNonNull("required_length") ? "length" : "required_length";
    JsonNode length = n.get(lengthField);
    if (length == null || length.isNull()) {
      throw new TaskFileException(file, lineNumber, "missing field 'length' (or 'required_length')");
    }
    if (!length.isIntegralNumber()) {
      throw new TaskFileException(file, lineNumber, "field '" + lengthField + "' must be an integer, got " + length);
    }
    if (length.asLong() <= 0 || length.asLong() > Integer.MAX_VALUE) {
      throw new TaskFileException(file, lineNumber, "field '" + lengthField + "' must be > 0, got " + length);
    }
    if (n.hasNonNull("required_length") && !n.get("required_length").equals(length)) {
      throw new TaskFileException(file, lineNumber, "fields 'length' (" + length + ") and 'required_length' ("
          + n.get("required_length") + ") disagree");
    }
    String id = n.hasNonNull("id") ? n.get("id").asText() : Integer.toString(index);
    String type = n.hasNonNull("type") ? n.get("type").asText() : "";
    try {
      Optional<Topic> topic = n.hasNonNull("topic") ? Optional.of(topic(n.get("topic"))) : Optional.empty();
      Optional<SectionSpec> sections =
          n.hasNonNull("sections") ? Optional.of(sections(n.get("sections"))) : Optional.empty();
      return new WritingTask(id, prompt.textValue(), length.intValue(), type, topic, sections);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new TaskFileException(file, lineNumber, "bad testbed fields: " + e.getMessage());
    }
  }

  private static Topic topic(JsonNode t) {
    Map<String, String> facts = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = t.get("facts").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      facts.put(e.getKey(), e.getValue().asText());
    }
    return new Topic(t.get("kind").asText(), t.get("subject").asText(), facts);
  }

  private static SectionSpec sections(JsonNode s) {
    List<SectionInstruction> instructions = new ArrayList<>();
    for (JsonNode i : s.get("instructions")) {
      instructions.add(new SectionInstruction(
          InstructionType.valueOf(i.get("type").asText().toUpperCase(Locale.ROOT)),
          i.get("from").asInt(), i.get("to").asInt(), i.get("every").asInt(1), i.get("item").asText()));
    }
    return new SectionSpec(s.get("label").asText(), s.get("count").asInt(), instructions);
  }

  /** Parses one task from its JSON line (as written by {@link #toJson}). */
  public static WritingTask fromJson(String json) {
    return parse(java.nio.file.Path.of("<task>"), 1, 0, json);
  }

  /** One task as a JSON line. */
  public static String toJson(WritingTask t) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", t.id());
    n.put("prompt", t.prompt());
    n.put("length", t.length());
    n.put("type", t.type());
    t.topic().ifPresent(topic -> {
      ObjectNode o = n.putObject("topic");
      o.put("kind", topic.kind());
      o.put("subject", topic.subject());
      ObjectNode facts = o.putObject("facts");
      topic.facts().forEach(facts::put);
    });
    t.sections().ifPresent(spec -> {
      ObjectNode o = n.putObject("sections");
      o.put("label", spec.label());
      o.put("count", spec.count());
      ArrayNode list = o.putArray("instructions");
      for (SectionInstruction i : spec.instructions()) {
        list.addObject().put("type", i.type().name().toLowerCase(Locale.ROOT)).put("from", i.from())
            .put("to", i.to()).put("every", i.every()).put("item", i.item());
      }
    });
    return n.toString();
  }

  /** Writes tasks atomically: a temporary file in the same directory, then a rename. */
  public static void write(Path file, List<WritingTask> tasks) throws IOException {
    AtomicFile.write(file, w -> {
      for (WritingTask t : tasks) {
        w.write(toJson(t));
        w.write('\n');
      }
    });
  }
}
