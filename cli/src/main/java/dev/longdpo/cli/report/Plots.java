package dev.longdpo.cli.report;

import dev.longdpo.actors.evaluator.EvalRecord;
import dev.longdpo.cli.train.TrainingLog;
import dev.longdpo.testbed.metrics.SubjectBootstrap;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's PNG plots: training curves per variant, and evaluation scores per checkpoint. */
public final class Plots {

  private Plots() {}

  /**
   * Writes {@code training.png}: against step, per variant, the loss and its two parts apart (the
   * DPO term and the chosen steps' NLL before its weight), then the reward margin and accuracy;
   * titled with the names TRL logs them under.
   */
  public static Path training(Path dir, Map<String, List<TrainingLog.Step>> steps) throws IOException {
    List<XYChart> charts = new ArrayList<>();
    charts.add(trainingChart("loss (dpo_loss + w x nll_loss)", steps, s -> s.metrics().loss()));
    charts.add(trainingChart("dpo_loss", steps, s -> s.metrics().dpoLoss()));
    charts.add(trainingChart("nll_loss", steps, s -> s.metrics().nllLoss()));
    charts.add(trainingChart("rewards/margins", steps, s -> s.metrics().rewardsMargin()));
    charts.add(trainingChart("rewards/accuracies", steps, s -> s.metrics().rewardsAccuracy()));
    return write(dir.resolve("training.png"), charts);
  }

  /**
   * Writes {@code eval.png}: S_l and S_q averages and the repeated-sentence rate against training
   * step, per variant, each point with its 95% interval (resampling subjects) as an error bar.
   */
  public static Path evaluations(Path dir, List<EvalRecord> records, double baseSl, double baseSq) throws IOException {
    Map<String, List<EvalRecord>> byVariant = new LinkedHashMap<>();
    Map<EvalRecord, Map<String, SubjectBootstrap.Interval>> intervals = new java.util.IdentityHashMap<>();
    for (EvalRecord r : records) {
      if (!r.variant().equals("base")) {
        byVariant.computeIfAbsent(r.variant(), v -> new ArrayList<>()).add(r);
        intervals.put(r, SubjectBootstrap.of(r.scores().perSample(), SubjectBootstrap.RESAMPLES, SubjectBootstrap.SEED));
      }
    }
    List<XYChart> charts = new ArrayList<>();
    charts.add(evalChart("S_l avg (base " + round(baseSl) + ")", byVariant, r -> intervals.get(r).get("S_l"), baseSl));
    charts.add(evalChart("S_q avg (base " + round(baseSq) + ")", byVariant, r -> intervals.get(r).get("S_q"), baseSq));
    charts.add(evalChart("repeated sentences %", byVariant, r -> intervals.get(r).get("repeated"), Double.NaN));
    return write(dir.resolve("eval.png"), charts);
  }

  private static String round(double v) {
    return String.format(java.util.Locale.ROOT, "%.1f", v);
  }

  private static XYChart trainingChart(String title, Map<String, List<TrainingLog.Step>> steps,
      ToDoubleFunction<TrainingLog.Step> y) {
    XYChart c = chart(title, "step");
    List<Double> all = new ArrayList<>();
    steps.forEach((variant, list) -> {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (TrainingLog.Step s : list) {
        double v = y.applyAsDouble(s);
        if (!s.metrics().skipped() && Double.isFinite(v)) {
          xs.add((double) s.metrics().step());
          ys.add(v);
        }
      }
      if (!xs.isEmpty()) {
        List<Double> smoothed = smooth(ys);
        c.addSeries(variant, xs, smoothed).setMarker(SeriesMarkers.NONE);
        all.addAll(smoothed);
      }
    });
    fitYAxis(c, all);
    return c;
  }

  private static XYChart evalChart(String title, Map<String, List<EvalRecord>> byVariant,
      java.util.function.Function<EvalRecord, SubjectBootstrap.Interval> y, double base) {
    XYChart c = chart(title, "training step");
    List<Double> all = new ArrayList<>();
    double maxStep = 1;
    for (Map.Entry<String, List<EvalRecord>> e : byVariant.entrySet()) {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      List<Double> bars = new ArrayList<>();
      for (EvalRecord r : e.getValue()) {
        SubjectBootstrap.Interval i = y.apply(r);
        xs.add((double) r.step());
        ys.add(i.estimate());
        // Error bars are symmetric: the longer side, so the bar covers the whole interval.
        bars.add(Math.max(i.estimate() - i.low(), i.high() - i.estimate()));
        all.add(i.low());
        all.add(i.high());
        maxStep = Math.max(maxStep, r.step());
      }
      c.addSeries(e.getKey(), xs, ys, bars);
      all.addAll(ys);
    }
    if (Double.isFinite(base)) {
      c.addSeries("base", List.of(0.0, maxStep), List.of(base, base)).setMarker(SeriesMarkers.NONE).setLineColor(Color.GRAY);
      all.add(base);
    }
    fitYAxis(c, all);
    // A margin on the right, so the last checkpoint's error bar is not drawn on the frame.
    c.getStyler().setXAxisMax(maxStep * 1.04);
    return c;
  }

  /**
   * Sets the y axis to cover every value drawn, with a margin: the chart library's own range can
   * leave a series' point outside it.
   */
  static void fitYAxis(XYChart c, List<Double> values) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      if (Double.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (lo > hi) {
      return;
    }
    double pad = hi > lo ? 0.08 * (hi - lo) : Math.max(0.5, Math.abs(hi) * 0.05);
    c.getStyler().setYAxisMin(lo - pad);
    c.getStyler().setYAxisMax(hi + pad);
  }

  /** A moving average over 9 steps, so the curve's trend shows through micro-batch noise. */
  private static List<Double> smooth(List<Double> ys) {
    List<Double> out = new ArrayList<>(ys.size());
    for (int i = 0; i < ys.size(); i++) {
      double sum = 0;
      int n = 0;
      for (int j = Math.max(0, i - 4); j <= Math.min(ys.size() - 1, i + 4); j++) {
        sum += ys.get(j);
        n++;
      }
      out.add(sum / n);
    }
    return out;
  }

  private static XYChart chart(String title, String xTitle) {
    XYChart c = new XYChartBuilder().width(520).height(360).title(title).xAxisTitle(xTitle).build();
    c.getStyler().setChartBackgroundColor(Color.WHITE);
    c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
    c.getStyler().setMarkerSize(6);
    // Readable ticks: steps as integers a fair distance apart, scores to two decimals at most.
    c.getStyler().setXAxisDecimalPattern("#");
    c.getStyler().setYAxisDecimalPattern("#.##");
    c.getStyler().setXAxisTickMarkSpacingHint(70);
    return c;
  }

  /** Charts per row of a PNG. */
  private static final int COLUMNS = 3;

  /** Renders charts in rows of {@link #COLUMNS} into one PNG, atomically. */
  private static Path write(Path file, List<XYChart> charts) throws IOException {
    int w = 520;
    int h = 360;
    int columns = Math.min(COLUMNS, charts.size());
    int rows = (charts.size() + COLUMNS - 1) / COLUMNS;
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w * columns, h * rows,
        java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    for (int i = 0; i < charts.size(); i++) {
      java.awt.Graphics2D sub = (java.awt.Graphics2D) g.create((i % COLUMNS) * w, (i / COLUMNS) * h, w, h);
      charts.get(i).paint(sub, w, h);
      sub.dispose();
    }
    g.dispose();
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
    try {
      javax.imageio.ImageIO.write(img, "png", tmp.toFile());
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return file;
  }
}
