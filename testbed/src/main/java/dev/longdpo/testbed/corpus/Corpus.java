package dev.longdpo.testbed.corpus;

import dev.longdpo.testbed.TestbedSettings;
import dev.longdpo.testbed.task.TaskGenerator;
import dev.longdpo.testbed.task.WritingTask;
import dev.longdpo.testbed.world.Lexicon;
import dev.longdpo.testbed.world.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The pretraining corpus: seeded tasks with reference answers. Identical seeds, identical corpora. */
public final class Corpus {

  private final List<Document> documents;

  private Corpus(List<Document> documents) {
    this.documents = List.copyOf(documents);
  }

  /** Generates a corpus from settings. */
  public static Corpus generate(TestbedSettings.CorpusSettings s) {
    return generate(s.seed(), s.documents(), s.sectionedShare(), s.flaws());
  }

  /** Generates {@code size} documents, a share of them sectioned. */
  public static Corpus generate(long seed, int size, double sectionedShare, FlawRates flaws) {
    int sectioned = (int) Math.round(size * sectionedShare);
    List<WritingTask> tasks = new TaskGenerator(seed).generate(size - sectioned, sectioned);
    AnswerWriter writer = new AnswerWriter(flaws);
    Random r = new Random(seed ^ 0x5DEECE66DL);
    List<Document> docs = new ArrayList<>();
    for (WritingTask t : tasks) {
      AnswerWriter.Answer a = writer.write(t, r);
      docs.add(new Document(t, a.text(), a.flaws()));
    }
    return new Corpus(docs);
  }

  /** The documents, in generation order. */
  public List<Document> documents() {
    return documents;
  }

  /** Flaws summed over the corpus. */
  public PlantedFlaws flaws() {
    PlantedFlaws sum = PlantedFlaws.ZERO;
    for (Document d : documents) {
      sum = sum.plus(d.flaws());
    }
    return sum;
  }

  /**
   * A tokenizer covering this corpus and the whole lexicon (every word of every pool and template,
   * in both its spaced and word-initial forms), so held-out tasks never meet unknown words.
   */
  public String tokenizerJson(int maxVocabulary) {
    TokenizerBuilder b = new TokenizerBuilder();
    for (Document d : documents) {
      b.add(d.task().modelInput()).add(d.completion());
    }
    Lexicon lex = Lexicon.get();
    List<String> words = new ArrayList<>();
    lex.pools().values().forEach(words::addAll);
    for (var kind : lex.kinds().values()) {
      words.add(kind.nounPhrase());
      kind.intro().forEach(t -> words.add(t.pattern()));
      kind.conclusion().forEach(t -> words.add(t.pattern()));
      kind.aspects().values().forEach(ts -> ts.stream().map(Template::pattern).forEach(words::add));
    }
    for (String w : words) {
      String clean = w.replaceAll("\\{[^}]+}", " ");
      b.add(clean).add(" " + clean);
      for (String token : clean.split("\\s+")) {
        if (!token.isEmpty()) {
          b.add(token).add(" " + token);
        }
      }
    }
    for (char c = '0'; c <= '9'; c++) {
      b.add(String.valueOf(c)).add(" " + c);
    }
    b.add("\n\n").add(".").add(",").add(":");
    return TokenizerBuilder.toJson(b.vocabulary(maxVocabulary));
  }
}
