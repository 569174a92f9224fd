package dev.longdpo.model.nn;

import dev.longdpo.model.LlamaConfig;
import dev.longdpo.model.checkpoint.HostTensor;
import java.util.Map;

/**
 * A deliberately literal Llama forward in plain Java loops, written from Hugging Face's
 * modeling_llama: RMSNorm, rotate_half RoPE, repeat_kv for grouped-query attention, a causal mask,
 * SwiGLU. It shares no code with the DJL model, so agreement checks both.
 */
final class NaiveLlama {

  private final LlamaConfig c;
  private final Map<String, HostTensor> w;

  NaiveLlama(LlamaConfig c, Map<String, HostTensor> weights) {
    this.c = c;
    this.w = weights;
  }

  /** Logits {@code [T][vocab]} for one sequence. */
  double[][] logits(int[] ids) {
    int t = ids.length;
    int h = c.hiddenSize();
    double[][] x = new double[t][h];
    float[] emb = w.get("model.embed_tokens.weight").data();
    for (int i = 0; i < t; i++) {
      for (int j = 0; j < h; j++) {
        x[i][j] = emb[ids[i] * h + j];
      }
    }
    for (int l = 0; l < c.numHiddenLayers(); l++) {
      String p = "model.layers." + l;
      double[][] n = rmsNorm(x, w.get(p + ".input_layernorm.weight").data());
      double[][] a = attention(n, p + ".self_attn");
      x = add(x, a);
      double[][] n2 = rmsNorm(x, w.get(p + ".post_attention_layernorm.weight").data());
      double[][] g = linear(n2, w.get(p + ".mlp.gate_proj.weight"));
      double[][] u = linear(n2, w.get(p + ".mlp.up_proj.weight"));
      for (int i = 0; i < t; i++) {
        for (int j = 0; j < g[i].length; j++) {
          double s = g[i][j] / (1 + Math.exp(-g[i][j]));
          g[i][j] = s * u[i][j];
        }
      }
      x = add(x, linear(g, w.get(p + ".mlp.down_proj.weight")));
    }
    x = rmsNorm(x, w.get("model.norm.weight").data());
    HostTensor head = c.tieWordEmbeddings() ? w.get("model.embed_tokens.weight") : w.get("lm_head.weight");
    return linear(x, head);
  }

  private double[][] attention(double[][] x, String p) {
    int t = x.length;
    int heads = c.numAttentionHeads();
    int kvHeads = c.numKeyValueHeads();
    int d = c.headDim();
    double[][] q = linear(x, w.get(p + ".q_proj.weight"));
    double[][] k = linear(x, w.get(p + ".k_proj.weight"));
    double[][] v = linear(x, w.get(p + ".v_proj.weight"));
    for (int i = 0; i < t; i++) {
      for (int hq = 0; hq < heads; hq++) {
        rope(q[i], hq * d, d, i);
      }
      for (int hk = 0; hk < kvHeads; hk++) {
        rope(k[i], hk * d, d, i);
      }
    }
    double[][] out = new double[t][heads * d];
    int group = heads / kvHeads;
    for (int hq = 0; hq < heads; hq++) {
      int hk = hq / group; // repeat_kv: each kv head serves `group` consecutive query heads
      for (int i = 0; i < t; i++) {
        double[] scores = new double[i + 1];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j <= i; j++) {
          double s = 0;
          for (int e = 0; e < d; e++) {
            s += q[i][hq * d + e] * k[j][hk * d + e];
          }
          scores[j] = s / Math.sqrt(d);
          max = Math.max(max, scores[j]);
        }
        double sum = 0;
        for (int j = 0; j <= i; j++) {
          scores[j] = Math.exp(scores[j] - max);
          sum += scores[j];
        }
        for (int j = 0; j <= i; j++) {
          for (int e = 0; e < d; e++) {
            out[i][hq * d + e] += scores[j] / sum * v[j][hk * d + e];
          }
        }
      }
    }
    return linear(out, w.get(p + ".o_proj.weight"));
  }

  /** x·cos + rotate_half(x)·sin on one head, rotate_half(x) = cat(-x2, x1). */
  private void rope(double[] vec, int off, int d, int pos) {
    int half = d / 2;
    double[] rotated = new double[d];
    double[] orig = new double[d];
    for (int e = 0; e < d; e++) {
      orig[e] = vec[off + e];
    }
    for (int e = 0; e < half; e++) {
      rotated[e] = -orig[e + half];
      rotated[e + half] = orig[e];
    }
    for (int e = 0; e < d; e++) {
      int i = e % half;
      double invFreq = 1.0 / Math.pow(c.ropeTheta(), (2.0 * i) / d);
      double angle = pos * invFreq;
      vec[off + e] = orig[e] * Math.cos(angle) + rotated[e] * Math.sin(angle);
    }
  }

  private double[][] rmsNorm(double[][] x, float[] weight) {
    double[][] out = new double[x.length][x[0].length];
    for (int i = 0; i < x.length; i++) {
      double ms = 0;
      for (double v : x[i]) {
        ms += v * v;
      }
      ms /= x[i].length;
      double r = 1 / Math.sqrt(ms + c.rmsNormEps());
      for (int j = 0; j < x[i].length; j++) {
        out[i][j] = x[i][j] * r * weight[j];
      }
    }
    return out;
  }

  private static double[][] linear(double[][] x, HostTensor weight) {
    int out = (int) weight.shape()[0];
    int in = (int) weight.shape()[1];
    double[][] y = new double[x.length][out];
    for (int i = 0; i < x.length; i++) {
      for (int o = 0; o < out; o++) {
        double s = 0;
        for (int j = 0; j < in; j++) {
          s += x[i][j] * weight.data()[o * in + j];
        }
        y[i][o] = s;
      }
    }
    return y;
  }

  private static double[][] add(double[][] a, double[][] b) {
    double[][] y = new double[a.length][a[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        y[i][j] = a[i][j] + b[i][j];
      }
    }
    return y;
  }
}
