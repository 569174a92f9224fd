package dev.longdpo.cli.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longdpo.cli.ExitCodes;
import dev.longdpo.cli.GlobalOptions;
import dev.longdpo.cli.Progress;
import dev.longdpo.testbed.pretrain.BaseModelStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Pretrains (or finds) the tiny base model and prints what it learned. */
@Command(
    mixinStandardHelpOptions = true,
    name = "pretrain",
    description = {
      "Train the tiny base model on the testbed corpus (a few minutes on 2 cores), or reuse it.",
      "It is cached under $LONGDPO_HOME/base/<key>/model, the key hashing the corpus, tokenizer and",
      "model settings; an interrupted run resumes."
    })
public final class PretrainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--out", paramLabel = "<dir>", description = "Write the model here instead of the cache.")
  Path out;

  @Override
  public Integer call() throws Exception {
    var config = GlobalOptions.of(spec).config();
    PrintWriter w = spec.commandLine().getOut();
    Path dir;
    try (Progress progress = new Progress(spec.commandLine().getErr())) {
      if (out != null) {
        BaseModelStore.pretrainTo(out, config, progress);
        dir = out;
      } else {
        BaseModelStore store = BaseModelStore.of(config);
        if (store.exists()) {
          w.println("base model up to date: " + store.modelDir());
        }
        dir = store.ensure(progress);
      }
    }
    printReport(w, dir);
    return ExitCodes.OK;
  }

  static void printReport(PrintWriter w, Path dir) throws Exception {
    Path file = dir.resolve("report.json");
    if (!Files.exists(file)) {
      return;
    }
    JsonNode r = new ObjectMapper().readTree(Files.readString(file));
    w.printf(Locale.ROOT, "base model: %s%n", dir);
    w.printf(Locale.ROOT, "  weights sha256 %s%n", r.path("weights_sha256").asText("(not recorded: pretrained before it was)"));
    w.printf(Locale.ROOT, "  parameters %,d, vocabulary %d, trained in %.0f s%n",
        r.path("parameters").asLong(), r.path("vocabulary").asInt(), r.path("pretrain_seconds").asDouble());
    if (r.has("peak_rss_bytes")) {
      w.printf(Locale.ROOT, "  peak resident memory of the pretraining JVM %.2f GiB%n", r.get("peak_rss_bytes").asDouble() / (1L << 30));
    }
    w.printf(Locale.ROOT, "  held-out loss %.3f (last training loss %.3f)%n",
        r.path("heldout_loss").asDouble(), r.path("last_train_loss").asDouble());
    JsonNode len = r.path("words_over_required_by_bucket");
    StringBuilder b = new StringBuilder();
    len.fields().forEachRemaining(e -> b.append(String.format(Locale.ROOT, " %s:%.2f", e.getKey(), e.getValue().asDouble())));
    w.printf(Locale.ROOT, "  samples: words / required by bucket%s; ended the answer %.0f%%%n",
        b, 100 * r.path("ended_answer_rate").asDouble());
    JsonNode s = r.path("flaw_rates").path("samples");
    JsonNode ref = r.path("flaw_rates").path("references");
    w.println("  flaw rates, samples vs reference answers:");
    s.fields().forEachRemaining(e -> w.printf(Locale.ROOT, "    %-24s %.3f vs %.3f%n",
        e.getKey(), e.getValue().asDouble(), ref.path(e.getKey()).asDouble()));
  }
}
