package dev.longdpo.cli.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longdpo.cli.ExitCodes;
import dev.longdpo.cli.GlobalOptions;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.PromptTemplate;
import dev.longdpo.model.generate.Generation;
import dev.longdpo.model.generate.GenerationRequest;
import dev.longdpo.model.generate.PrefixState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Continues a prompt with a checkpoint. */
@Command(mixinStandardHelpOptions = true, name = "generate", description = "Continue a prompt with a checkpoint.")
public final class ModelGenerateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--checkpoint", required = true, paramLabel = "<dir>", description = "Checkpoint directory.")
  Path checkpoint;

  @Option(names = "--prompt", required = true, paramLabel = "<text>", description = "Prompt text, fed as given unless --template says otherwise.")
  String prompt;

  @Option(names = "--template", defaultValue = "raw", paramLabel = "<raw|inst>",
      description = "raw (default) or inst: wrap the prompt as [INST] prompt [/INST].")
  String template;

  @Option(names = "--json", description = "Print JSON: token ids, text, finish reason, per-token log-probs.")
  boolean json;

  @Mixin SamplingOptions sampling;

  @Override
  public Integer call() throws Exception {
    GlobalOptions.of(spec).config();
    PromptTemplate t = PromptTemplate.parse(template);
    try (LanguageModel m = LanguageModel.load(checkpoint)) {
      int[] promptIds = m.encodePrompt(t.apply(prompt));
      PrefixState prefix = m.prefix(promptIds);
      Generation g = m.generate(GenerationRequest.of(prefix, sampling.params(), sampling.seed()));
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode n = mapper.createObjectNode();
        n.set("prompt_token_ids", mapper.valueToTree(promptIds));
        n.set("token_ids", mapper.valueToTree(g.tokenIds()));
        n.put("text", g.text());
        n.put("finish_reason", g.finishReason().wireName());
        n.set("logprobs", mapper.valueToTree(g.tokenLogProbs()));
        out.println(mapper.writeValueAsString(n));
      } else {
        out.println(g.text());
      }
    }
    return ExitCodes.OK;
  }
}
