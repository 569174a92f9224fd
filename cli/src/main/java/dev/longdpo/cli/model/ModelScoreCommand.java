package dev.longdpo.cli.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longdpo.cli.BadInputException;
import dev.longdpo.cli.ExitCodes;
import dev.longdpo.cli.GlobalOptions;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.PromptTemplate;
import dev.longdpo.model.generate.Score;
import dev.longdpo.model.generate.ScoreRequest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Scores a continuation after a prefix. */
@Command(
    mixinStandardHelpOptions = true,
    name = "score",
    description = {
      "Summed log-prob of a continuation given a prefix.",
      "The prefix is encoded with special tokens (BOS), the continuation without, and the two id",
      "sequences are joined as they are: exactly what generation produces."
    })
public final class ModelScoreCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--checkpoint", required = true, paramLabel = "<dir>", description = "Checkpoint directory.")
  Path checkpoint;

  @Option(names = "--prefix", required = true, paramLabel = "<text>", description = "Prefix text.")
  String prefix;

  @Option(names = "--continuation", required = true, paramLabel = "<text>", description = "Text to score.")
  String continuation;

  @Option(names = "--template", defaultValue = "raw", paramLabel = "<raw|inst>", description = "raw or inst (wraps the prefix).")
  String template;

  @Option(names = "--json", description = "Print JSON with token ids and per-token log-probs.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    GlobalOptions.of(spec).config();
    try (LanguageModel m = LanguageModel.load(checkpoint)) {
      int[] prefixIds = m.encodePrompt(PromptTemplate.parse(template).apply(prefix));
      int[] contIds = m.requireTokenizer().encode(continuation, false);
      if (contIds.length == 0) {
        throw new BadInputException("--continuation: encodes to no tokens");
      }
      Score s = m.score(List.of(new ScoreRequest(m.prefix(prefixIds), contIds))).get(0);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode n = mapper.createObjectNode();
        n.set("prefix_token_ids", mapper.valueToTree(prefixIds));
        n.set("continuation_token_ids", mapper.valueToTree(contIds));
        n.set("logprobs", mapper.valueToTree(s.tokenLogProbs()));
        n.put("sum_logprob", s.sum());
        out.println(mapper.writeValueAsString(n));
      } else {
        out.printf(Locale.ROOT, "%.6f%n", s.sum());
      }
    }
    return ExitCodes.OK;
  }
}
