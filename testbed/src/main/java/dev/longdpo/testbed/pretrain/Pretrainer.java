package dev.longdpo.testbed.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longdpo.model.LanguageModel;
import dev.longdpo.model.LlamaConfig;
import dev.longdpo.config.files.AtomicDirectory;
import dev.longdpo.model.checkpoint.WeightsHash;
import dev.longdpo.model.runtime.DjlRuntime;
import dev.longdpo.model.runtime.ProcessMemory;
import dev.longdpo.model.tokenizer.TextTokenizer;
import dev.longdpo.model.train.LossFunction;
import dev.longdpo.model.train.OptimizerSettings;
import dev.longdpo.model.train.PolicyTrainer;
import dev.longdpo.model.train.SequenceBatch;
import dev.longdpo.model.train.StepResult;
import dev.longdpo.model.train.TokenLogProbs;
import dev.longdpo.testbed.TestbedSettings;
import dev.longdpo.testbed.corpus.Corpus;
import dev.longdpo.testbed.corpus.Document;
import dev.longdpo.testbed.corpus.TokenizerBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Trains the tiny base model on the corpus: builds the tokenizer, batches documents of similar
 * length, trains with AdamW on the answer tokens, checkpoints resumably, then writes the model in
 * Hugging Face layout together with a report on what it learned.
 */
public final class Pretrainer {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final TestbedSettings settings;

  /** A pretrainer for these settings. */
  public Pretrainer(TestbedSettings settings) {
    this.settings = settings;
  }

  /** The model config for a vocabulary size. */
  public LlamaConfig modelConfig(int vocabSize) {
    TestbedSettings.BaseModelSettings m = settings.model();
    return new LlamaConfig(
        vocabSize, m.hiddenSize(), m.intermediateSize(), m.layers(), m.heads(), m.kvHeads(),
        m.hiddenSize() / m.heads(), 1e-5, m.ropeTheta(), Optional.empty(), m.maxPositions(), m.tiedEmbeddings(),
        Optional.of(TokenizerBuilder.BOS), List.of(TokenizerBuilder.EOS), Optional.of(TokenizerBuilder.PAD),
        "float32", java.util.Map.of());
  }

  /**
   * Trains (resuming from {@code workDir} if an earlier run left a checkpoint there) and writes the
   * final model to {@code outDir} atomically. The work directory is removed on success.
   */
  public void run(Path outDir, Path workDir, PretrainListener listener) throws IOException {
    DjlRuntime.withIntraOpThreads(settings.pretrain().effectiveThreads(), () -> train(outDir, workDir, listener));
  }

  private void train(Path outDir, Path workDir, PretrainListener listener) throws IOException {
    long started = System.nanoTime();
    listener.phase("corpus", 1);
    Corpus corpus = Corpus.generate(settings.corpus());
    Files.createDirectories(workDir);
    Path tokFile = workDir.resolve(TextTokenizer.FILE);
    if (!Files.exists(tokFile)) {
      Files.writeString(tokFile, corpus.tokenizerJson(settings.maxVocabulary()));
    }
    TextTokenizer tokenizer = TextTokenizer.load(tokFile);
    int vocab = countVocab(tokenizer.json());
    LlamaConfig config = modelConfig(vocab);
    List<EncodedDocument> docs = encode(corpus.documents(), tokenizer, config.maxPositionEmbeddings());
    listener.progress(1, corpus.documents().size() + " documents, vocabulary " + vocab);

    List<List<EncodedDocument>> batches = batches(docs, settings.pretrain().batchTokens());
    int epochs = settings.pretrain().epochs();
    int total = epochs * batches.size();
    List<Integer> order = new ArrayList<>();
    for (int e = 0; e < epochs; e++) {
      List<Integer> epoch = new ArrayList<>();
      for (int b = 0; b < batches.size(); b++) {
        epoch.add(b);
      }
      Collections.shuffle(epoch, new Random(settings.corpus().seed() * 31 + e));
      order.addAll(epoch);
    }
    TestbedSettings.PretrainSettings p = settings.pretrain();
    OptimizerSettings opt =
        new OptimizerSettings(p.learningRate(), 0.9, 0.98, 1e-8, p.weightDecay(), p.maxGradNorm(),
            p.warmupSteps(), total, p.minLrRatio());

    Path latest = workDir.resolve("latest");
    LanguageModel model;
    long start = 0;
    if (Files.exists(latest.resolve("progress.json"))) {
      model = LanguageModel.load(latest, true);
      start = JSON.readTree(Files.readString(latest.resolve("progress.json"))).get("step").asLong();
      listener.info("resuming pretraining at step " + start + " of " + total);
    } else {
      model = LanguageModel.random(config, settings.model().initSeed(), Optional.of(tokenizer), true);
    }
    try (model; PolicyTrainer trainer = new PolicyTrainer(model, opt); StepLog steps = StepLog.open(workDir, start)) {
      trainer.stepThreads(settings.pretrain().effectiveThreads()); // longdpo.testbed.pretrain.threads
      if (start > 0) {
        trainer.restoreOptimizer(latest);
      }
      listener.phase("pretrain", total);
      long tokens = 0;
      long t0 = System.nanoTime();
      double lastLoss = Double.NaN;
      for (long step = start; step < total; step++) {
        List<EncodedDocument> batch = batches.get(order.get((int) step));
        StepResult r = trainer.step(nll(model, batch));
        lastLoss = r.loss();
        steps.step(step + 1, r.loss(), r.gradNorm(), r.learningRate(), r.skipped());
        for (EncodedDocument d : batch) {
          tokens += d.ids().length;
        }
        double tps = tokens / ((System.nanoTime() - t0) / 1e9);
        listener.progress(step + 1, String.format(java.util.Locale.ROOT, "loss %.3f  %.0f tok/s", r.loss(), tps));
        if ((step + 1) % p.checkpointEvery() == 0 && step + 1 < total) {
          long done = step + 1;
          steps.flush();
          trainer.save(latest, dir -> Files.writeString(dir.resolve("progress.json"), "{\"step\": " + done + "}"));
        }
      }
      listener.phase("report", 1);
      ObjectNode report = new BaseModelReport(settings).build(model, corpus, lastLoss, listener);
      report.put("pretrain_seconds", (System.nanoTime() - started) / 1e9);
      // Pretraining runs in a JVM of its own (PretrainJvm): its peak is not in the demo's report.
      double peak = ProcessMemory.peakResidentBytes();
      if (!Double.isNaN(peak)) {
        report.put("peak_rss_bytes", (long) peak);
        listener.info(String.format(java.util.Locale.ROOT, "pretrained in %.0f s, peak resident memory %.2f GiB",
            report.get("pretrain_seconds").asDouble(), peak / (1L << 30)));
      }
      report.put("steps", total);
      report.put("recomputed_steps", trainer.recomputedSteps());
      report.put("spoiled_steps_caught", trainer.spoiledSteps());
      steps.close();
      model.save(outDir, dev.longdpo.model.checkpoint.CheckpointWriter.DEFAULT_MAX_SHARD_BYTES, dir -> {
        // The weights are written by now: the report names the bits it describes.
        report.put("weights_sha256", WeightsHash.of(dir));
        Files.copy(steps.file(), dir.resolve(StepLog.FILE));
        Files.writeString(dir.resolve(BaseModelReport.FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
      });
    } finally {
      tokenizer.close();
    }
    AtomicDirectory.deleteRecursively(workDir);
  }

  private static int countVocab(String tokenizerJson) {
    try {
      return JSON.readTree(tokenizerJson).get("model").get("vocab").size();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Encodes documents: BOS + prompt, the answer, EOS; truncated to the context. */
  static List<EncodedDocument> encode(List<Document> docs, TextTokenizer tok, int context) {
    List<EncodedDocument> out = new ArrayList<>();
    for (Document d : docs) {
      int[] prompt = tok.encode(d.task().modelInput(), true);
      int[] answer = tok.encode(d.completion(), false);
      int n = Math.min(context, prompt.length + answer.length + 1);
      int[] ids = new int[n];
      System.arraycopy(prompt, 0, ids, 0, Math.min(n, prompt.length));
      if (n > prompt.length) {
        System.arraycopy(answer, 0, ids, prompt.length, Math.min(answer.length, n - prompt.length));
      }
      if (prompt.length + answer.length + 1 <= context) {
        ids[n - 1] = TokenizerBuilder.EOS;
      }
      out.add(new EncodedDocument(ids, prompt.length));
    }
    return out;
  }

  /** Documents of similar length together, each batch at most {@code budget} padded tokens. */
  static List<List<EncodedDocument>> batches(List<EncodedDocument> docs, int budget) {
    List<EncodedDocument> sorted = new ArrayList<>(docs);
    sorted.sort(Comparator.comparingInt(d -> d.ids().length));
    List<List<EncodedDocument>> out = new ArrayList<>();
    List<EncodedDocument> current = new ArrayList<>();
    for (EncodedDocument d : sorted) {
      int longest = d.ids().length; // sorted: the newcomer is the longest
      if (!current.isEmpty() && (current.size() + 1) * longest > budget) {
        out.add(current);
        current = new ArrayList<>();
      }
      current.add(d);
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  /** Mean negative log-likelihood of the answer tokens of a batch. */
  static LossFunction nll(LanguageModel model, List<EncodedDocument> batch) {
    List<int[]> seqs = new ArrayList<>();
    int[] first = new int[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      seqs.add(batch.get(i).ids());
      first[i] = batch.get(i).answerStart();
    }
    SequenceBatch sb = SequenceBatch.of(seqs, first, TokenizerBuilder.PAD);
    return nd -> {
      NDArray[] lp = TokenLogProbs.compute(model.network(), nd, sb);
      return LossFunction.Output.of(lp[0].sum().neg().div(lp[1].sum()));
    };
  }

  /** Mean answer-token NLL of documents, without gradients. */
  static double meanLoss(LanguageModel model, List<EncodedDocument> docs, int budget) {
    return DjlRuntime.withoutGrad(
        () -> {
          double sum = 0;
          double count = 0;
          for (List<EncodedDocument> batch : batches(docs, budget)) {
            try (NDManager nd = model.manager().newSubManager()) {
              List<int[]> seqs = new ArrayList<>();
              int[] first = new int[batch.size()];
              for (int i = 0; i < batch.size(); i++) {
                seqs.add(batch.get(i).ids());
                first[i] = batch.get(i).answerStart();
              }
              NDArray[] lp =
                  TokenLogProbs.compute(model.network(), nd, SequenceBatch.of(seqs, first, TokenizerBuilder.PAD));
              sum -= lp[0].sum().getFloat();
              count += lp[1].sum().getFloat();
            }
          }
          return sum / count;
        });
  }
}
