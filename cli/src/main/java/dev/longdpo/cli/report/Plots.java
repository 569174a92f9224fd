package dev.longdpo.cli.report;

import dev.longdpo.actors.evaluator.EvalRecord;
import dev.longdpo.cli.train.TrainingLog;
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

  /** Writes {@code training.png}: loss, reward margin and accuracy against step, per variant. */
  public static Path training(Path dir, Map<String, List<TrainingLog.Step>> steps) throws IOException {
    List<XYChart> charts = new ArrayList<>();
    charts.add(trainingChart("DPO loss", steps, s -> s.metrics().loss()));
    charts.add(trainingChart("rewards/margins", steps, s -> s.metrics().rewardsMargin()));
    charts.add(trainingChart("rewards/accuracies", steps, s -> s.metrics().rewardsAccuracy()));
    return write(dir.resolve("training.png"), charts);
  }

  /** Writes {@code eval.png}: S_l and S_q averages against training step, per variant. */
  public static Path evaluations(Path dir, List<EvalRecord> records, double baseSl, double baseSq) throws IOException {
    Map<String, List<EvalRecord>> byVariant = new LinkedHashMap<>();
    for (EvalRecord r : records) {
      if (!r.variant().equals("base")) {
        byVariant.computeIfAbsent(r.variant(), v -> new ArrayList<>()).add(r);
      }
    }
    List<XYChart> charts = new ArrayList<>();
    charts.add(evalChart("S_l avg (base " + round(baseSl) + ")", byVariant, r -> r.scores().sl().get("avg"), baseSl));
    charts.add(evalChart("S_q avg (base " + round(baseSq) + ")", byVariant, r -> r.scores().sq().get("avg"), baseSq));
    charts.add(evalChart("repeated sentences %", byVariant, r -> 100 * r.scores().judgeFree().repeatedRate(), Double.NaN));
    return write(dir.resolve("eval.png"), charts);
  }

  private static String round(double v) {
    return String.format(java.util.Locale.ROOT, "%.1f", v);
  }

  private static XYChart trainingChart(String title, Map<String, List<TrainingLog.Step>> steps,
      ToDoubleFunction<TrainingLog.Step> y) {
    XYChart c = chart(title, "step");
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
        c.addSeries(variant, xs, smooth(ys)).setMarker(SeriesMarkers.NONE);
      }
    });
    return c;
  }

  private static XYChart evalChart(String title, Map<String, List<EvalRecord>> byVariant,
      ToDoubleFunction<EvalRecord> y, double base) {
    XYChart c = chart(title, "training step");
    double maxStep = 1;
    for (Map.Entry<String, List<EvalRecord>> e : byVariant.entrySet()) {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (EvalRecord r : e.getValue()) {
        xs.add((double) r.step());
        ys.add(y.applyAsDouble(r));
        maxStep = Math.max(maxStep, r.step());
      }
      c.addSeries(e.getKey(), xs, ys);
    }
    if (Double.isFinite(base)) {
      c.addSeries("base", List.of(0.0, maxStep), List.of(base, base)).setMarker(SeriesMarkers.NONE).setLineColor(Color.GRAY);
    }
    return c;
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
    return c;
  }

  /** Renders charts side by side into one PNG, atomically. */
  private static Path write(Path file, List<XYChart> charts) throws IOException {
    int w = 520;
    int h = 360;
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w * charts.size(), h,
        java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), h);
    for (int i = 0; i < charts.size(); i++) {
      java.awt.Graphics2D sub = (java.awt.Graphics2D) g.create(i * w, 0, w, h);
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
