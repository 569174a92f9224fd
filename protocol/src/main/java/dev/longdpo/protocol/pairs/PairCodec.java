package dev.longdpo.protocol.pairs;

import dev.longdpo.protocol.internal.proto.PairStepProto;
import dev.longdpo.protocol.internal.proto.PreferencePairProto;
import dev.longdpo.protocol.internal.proto.StepScoreProto;
import dev.longdpo.protocol.internal.proto.TreeCompletedProto;
import dev.longdpo.protocol.search.StepScore;
import java.util.ArrayList;
import java.util.List;

/** Converts pair records to and from their Protobuf form (used by the log, the stream and codecs). */
public final class PairCodec {

  private PairCodec() {}

  /** A pair as Protobuf. */
  public static PreferencePairProto toProto(PreferencePair p) {
    return PreferencePairProto.newBuilder()
        .setPairId(p.pairId())
        .setRunId(p.runId())
        .setPromptId(p.promptId())
        .setDepth(p.depth())
        .setPrompt(p.prompt())
        .setPrefixText(p.prefixText())
        .addAllPrefixTokens(ints(p.prefixTokens()))
        .setChosen(step(p.chosen()))
        .setRejected(step(p.rejected()))
        .setCritiqueApplied(p.critiqueApplied())
        .setPolicyVersion(p.policyVersion())
        .setRejectedVetoed(p.rejectedVetoed())
        .setPromptPairs(p.promptPairs())
        .build();
  }

  /** A pair from Protobuf. */
  public static PreferencePair fromProto(PreferencePairProto p) {
    return new PreferencePair(
        p.getPairId(), p.getRunId(), p.getPromptId(), p.getDepth(), p.getPrompt(), p.getPrefixText(),
        toArray(p.getPrefixTokensList()), step(p.getChosen()), step(p.getRejected()), p.getCritiqueApplied(),
        p.getPolicyVersion(), p.getRejectedVetoed(), p.getPromptPairs());
  }

  /** A completion record as Protobuf. */
  public static TreeCompletedProto toProto(TreeCompleted t) {
    return TreeCompletedProto.newBuilder()
        .setPromptId(t.promptId()).setPairs(t.pairs()).setDepth(t.depth()).setVetoes(t.vetoes())
        .setCritiquesFired(t.critiquesFired()).setCritiquesApplied(t.critiquesApplied())
        .setExpansions(t.expansions()).setAnswer(t.answer()).setEnded(t.ended())
        .setPrefixTokensCached(t.prefixTokensCached()).setPrefixTokensTotal(t.prefixTokensTotal())
        .setPrematureEnds(t.prematureEnds())
        .build();
  }

  /** A completion record from Protobuf. */
  public static TreeCompleted fromProto(TreeCompletedProto t) {
    return new TreeCompleted(t.getPromptId(), t.getPairs(), t.getDepth(), t.getVetoes(), t.getCritiquesFired(),
        t.getCritiquesApplied(), t.getExpansions(), t.getAnswer(), t.getEnded(), t.getPrefixTokensCached(),
        t.getPrefixTokensTotal(), t.getPrematureEnds());
  }

  private static PairStepProto step(PairStep s) {
    return PairStepProto.newBuilder()
        .setText(s.text())
        .addAllTokens(ints(s.tokens()))
        .setEndsAnswer(s.endsAnswer())
        .setScore(score(s.score()))
        .setRefLogprob(s.refLogProb())
        .setQ(s.q())
        .build();
  }

  private static PairStep step(PairStepProto s) {
    return new PairStep(s.getText(), toArray(s.getTokensList()), s.getEndsAnswer(), score(s.getScore()),
        s.getRefLogprob(), s.getQ());
  }

  private static StepScoreProto score(StepScore s) {
    return StepScoreProto.newBuilder()
        .addAllPrinciples(s.principles())
        .setLengthTerm(s.lengthTerm())
        .setQuality(s.quality())
        .setValue(s.value())
        .build();
  }

  private static StepScore score(StepScoreProto s) {
    return new StepScore(s.getPrinciplesList(), s.getLengthTerm(), s.getQuality(), s.getValue());
  }

  private static List<Integer> ints(int[] a) {
    List<Integer> out = new ArrayList<>(a.length);
    for (int x : a) {
      out.add(x);
    }
    return out;
  }

  private static int[] toArray(List<Integer> l) {
    int[] a = new int[l.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = l.get(i);
    }
    return a;
  }
}
