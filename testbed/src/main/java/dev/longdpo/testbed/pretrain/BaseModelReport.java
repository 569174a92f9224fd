package dev.longdpo.testbed.pretrain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.testbed.TestbedSettings;
import dev.longdpo.testbed.corpus.AnswerWriter;
import dev.longdpo.testbed.corpus.Corpus;
import dev.longdpo.testbed.corpus.PlantedFlaws;
import dev.longdpo.testbed.metrics.EvalScores;
import dev.longdpo.testbed.metrics.JudgeFreeMetrics;
import dev.longdpo.testbed.metrics.Sample;
import dev.longdpo.testbed.metrics.TaskSampler;
import dev.longdpo.testbed.task.LengthBuckets;
import dev.longdpo.testbed.task.WritingTask;
import dev.longdpo.protocol.text.Words;
import dev.longdpo.testbed.world.Split;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What the base model learned, written next to it as {@code report.json}: held-out loss; on
 * samples for held-out tasks, length against the requested length by bucket and whether the model
 * ends its answers; and the rate of each planted flaw in its samples next to the rate in reference
 * answers for the same tasks (both measured by the judge-free metrics).
 */
final class BaseModelReport {

  static final String FILE = "report.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final TestbedSettings settings;

  BaseModelReport(TestbedSettings settings) {
    this.settings = settings;
  }

  ObjectNode build(LanguageModel model, Corpus corpus, double lastTrainLoss, PretrainListener listener) {
    ObjectNode root = JSON.createObjectNode();
    TestbedSettings.CorpusSettings cs = settings.corpus();
    Corpus heldout =
        Corpus.generate(cs.seed() + 1000, settings.pretrain().heldoutDocuments(), cs.sectionedShare(), cs.flaws());
    var tok = model.requireTokenizer();
    double heldoutLoss =
        Pretrainer.meanLoss(
            model, Pretrainer.encode(heldout.documents(), tok, model.config().maxPositionEmbeddings()),
            settings.pretrain().batchTokens());
    root.put("last_train_loss", lastTrainLoss);
    root.put("heldout_loss", heldoutLoss);
    root.put("parameters", model.config().parameterCount());
    root.put("vocabulary", model.config().vocabSize());
    root.put("corpus_documents", corpus.documents().size());
    root.set("planted_in_corpus", JSON.valueToTree(corpus.flaws()));

    int n = settings.pretrain().sampleTasks();
    if (n == 0) {
      return root;
    }
    int sectioned = n / 4;
    // Validation tasks: the base's report is looked at while settings are chosen, never the test split.
    List<WritingTask> tasks = settings.tasks(Split.VALIDATION).generate(n - sectioned, sectioned);
    listener.phase("samples", tasks.size());
    List<Sample> samples = TaskSampler.sample(model, tasks, settings.validationSeed(), 8, done -> listener.progress(done, ""));
    EvalScores scores = EvalScores.of(samples, LengthBuckets.TESTBED);

    AnswerWriter writer = new AnswerWriter(cs.flaws());
    Random r = new Random(7);
    List<JudgeFreeMetrics.Counts> referenceCounts = new ArrayList<>();
    List<JudgeFreeMetrics.Counts> sampleCounts = new ArrayList<>();
    Map<String, List<Double>> ratio = new LinkedHashMap<>();
    int ended = 0;
    for (Sample s : samples) {
      referenceCounts.add(JudgeFreeMetrics.count(s.task(), writer.write(s.task(), r).text()));
      sampleCounts.add(JudgeFreeMetrics.count(s.task(), s.output()));
      if (!s.task().isSectioned()) {
        ratio.computeIfAbsent(LengthBuckets.TESTBED.labelOf(s.task().length()), k -> new ArrayList<>())
            .add((double) Words.count(s.output()) / s.task().length());
      }
      ended += s.endedWithEos() ? 1 : 0;
    }
    ObjectNode len = root.putObject("words_over_required_by_bucket");
    ratio.forEach((k, v) -> len.put(k, v.stream().mapToDouble(Double::doubleValue).average().orElse(0)));
    root.put("samples", samples.size());
    root.put("ended_answer_rate", (double) ended / samples.size());
    root.set("sample_scores", JSON.valueToTree(Map.of("S_l", scores.sl(), "S_q", scores.sq(), "sections", scores.sections())));
    ObjectNode flaws = root.putObject("flaw_rates");
    flaws.set("samples", JSON.valueToTree(JudgeFreeMetrics.summarize(sampleCounts).asMap()));
    flaws.set("references", JSON.valueToTree(JudgeFreeMetrics.summarize(referenceCounts).asMap()));
    ArrayNode examples = root.putArray("examples");
    for (int i = 0; i < Math.min(4, samples.size()); i++) {
      ObjectNode e = examples.addObject();
      e.put("task_id", samples.get(i).task().id());
      e.put("prompt", samples.get(i).task().prompt());
      e.put("required_length", samples.get(i).task().length());
      e.put("output", samples.get(i).output());
    }
    return root;
  }

  /** Planted-flaw rates of a corpus, as fractions. */
  static Map<String, Double> plantedRates(PlantedFlaws f) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("repeated_sentence_rate", (double) f.repeatedSentences() / Math.max(1, f.sentences()));
    m.put("off_topic_rate", (double) f.offTopicSentences() / Math.max(1, f.sentences()));
    m.put("contradiction_rate", (double) f.contradictions() / Math.max(1, f.sentences()));
    return m;
  }
}
