package dev.longdpo.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

class PlotsTest {

  @Test
  void theYAxisCoversEverySeriesWithAMargin() {
    XYChart c = new XYChartBuilder().build();
    Plots.fitYAxis(c, List.of(46.4, 44.9, 52.3, Double.NaN, 47.0));
    assertThat(c.getStyler().getYAxisMin()).isLessThan(44.9);
    assertThat(c.getStyler().getYAxisMax()).isGreaterThan(52.3);
    XYChart flat = new XYChartBuilder().build();
    Plots.fitYAxis(flat, List.of(93.5, 93.5));
    assertThat(flat.getStyler().getYAxisMax() - flat.getStyler().getYAxisMin()).isPositive();
  }

  @Test
  void theTrainingPlotShowsTheLossAndItsPartsInTwoRows(@TempDir Path dir) throws Exception {
    Path png = Plots.training(dir, Map.of());
    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img.getWidth()).isEqualTo(3 * 520);
    assertThat(img.getHeight()).isEqualTo(2 * 360); // loss, dpo_loss, nll_loss; margins, accuracies
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("training.png");
    }
  }
}
