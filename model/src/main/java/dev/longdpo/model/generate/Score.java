package dev.longdpo.model.generate;

/** Log-probs of a scored continuation under the raw model. Holds an array: copied. */
public final class Score {

  private final float[] tokenLogProbs;

  Score(float[] tokenLogProbs) {
    this.tokenLogProbs = tokenLogProbs.clone();
  }

  /** One log-prob per continuation token. */
  public float[] tokenLogProbs() {
    return tokenLogProbs.clone();
  }

  /** The summed log-prob of the continuation given the prefix. */
  public double sum() {
    double s = 0;
    for (float v : tokenLogProbs) {
      s += v;
    }
    return s;
  }
}
