// TuningCharts.java -- pictures for choosing the threshold: score distributions, quality and alert curves, forest settings.
package sentinel.notebook;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.Table;

/** Charts over a {@link Sweep} and a {@link ForestGrid}. Marks are dashed vertical lines named in the legend. */
public final class TuningCharts {
    private static final Color[] MARKS = {Color.DARK_GRAY, Palette.GREEN.darker()};

    private TuningCharts() {}

    /**
     * Forest scores as shares of each group: training lines (grey), normal (blue) and attack (red) lines of the mix,
     * with the cuts in {@code marks} (legend name to score).
     */
    public static XYChart scoreDistributions(Sweep s, Map<String, Double> marks) {
        XYChart c = base("Anomaly scores: training vs the labelled mix", "forest score (higher = easier to isolate)", "share of the group's lines");
        c.getStyler().setYAxisDecimalPattern("0%");
        double lo = 0.3, hi = 0.9;
        int bins = 60;
        List<double[]> groups = new ArrayList<>();
        groups.add(s.trainingScores());
        double[] mix = s.scores();
        boolean[] y = s.anomalous();
        for (boolean attack : new boolean[] {false, true}) {
            List<Double> v = new ArrayList<>();
            for (int i = 0; i < mix.length; i++) if (y[i] == attack && Double.isFinite(mix[i])) v.add(mix[i]);
            groups.add(v.stream().mapToDouble(Double::doubleValue).toArray());
        }
        String[] names = {"training lines", "mix: normal", "mix: attacks"};
        Color[] colors = {Palette.TRAINING, Palette.NORMAL, Palette.ANOMALOUS};
        double ymax = 0;
        for (int g = 0; g < 3; g++) {
            double[] share = new double[bins];
            for (double v : groups.get(g)) share[Math.max(0, Math.min(bins - 1, (int) ((v - lo) / (hi - lo) * bins)))] += 1.0 / groups.get(g).length;
            double[] x = new double[bins];
            for (int i = 0; i < bins; i++) {
                x[i] = lo + (i + 0.5) * (hi - lo) / bins;
                ymax = Math.max(ymax, share[i]);
            }
            XYSeries ser = c.addSeries(names[g], x, share);
            ser.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
            ser.setMarker(SeriesMarkers.NONE);
            ser.setLineColor(colors[g]);
            ser.setFillColor(Palette.alpha(colors[g], 70));
        }
        mark(c, marks, 0, ymax);
        return c;
    }

    /**
     * Precision, recall and F1 against contamination (log scale) or against the score cut, with the recall the forest
     * score would reach without the range guard.
     */
    public static XYChart quality(List<Sweep.Point> points, boolean byCut, Map<String, Double> marks) {
        XYChart c = base(byCut ? "Detection quality vs score_threshold" : "Detection quality vs contamination",
                byCut ? "score_threshold (fixed score cut)" : "contamination (log scale)", "on the labelled mix");
        c.getStyler().setXAxisLogarithmic(!byCut);
        c.getStyler().setYAxisMin(0.0);
        c.getStyler().setYAxisMax(1.0);
        c.getStyler().setXAxisDecimalPattern(byCut ? "0.00" : "0.####");
        line(c, "precision", points, byCut, Sweep.Point::precision, Palette.NORMAL);
        line(c, "recall", points, byCut, Sweep.Point::recall, Palette.ORANGE);
        line(c, "F1", points, byCut, Sweep.Point::f1, Palette.ANOMALOUS);
        line(c, "recall, forest score alone", points, byCut, Sweep.Point::forestRecall, Palette.TRAINING);
        mark(c, marks, 0, 1);
        return c;
    }

    /** Lines flagged per hour of this mix's traffic, all and false alarms only, against contamination (log-log). */
    public static XYChart alertsPerHour(List<Sweep.Point> points, Map<String, Double> marks) {
        XYChart c = base("Flagged lines per hour vs contamination", "contamination (log scale)", "flagged lines per hour (log scale)");
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(true);
        c.getStyler().setXAxisDecimalPattern("0.####");
        c.getStyler().setYAxisDecimalPattern("#,##0");
        line(c, "all flagged lines", points, false, Sweep.Point::alertsPerHour, Palette.PURPLE);
        line(c, "false alarms (normal lines)", points, false, p -> Math.max(1, p.falseAlertsPerHour()), Palette.NORMAL);
        double ymax = points.stream().mapToDouble(Sweep.Point::alertsPerHour).max().orElse(10);
        mark(c, marks, 1, ymax);
        return c;
    }

    /** {@code metric} of a {@link ForestGrid} table against {@code setting} ("trees" or "sample_size"): one line per seed. */
    public static XYChart forest(Table grid, String setting, String metric, String title) {
        XYChart c = base(title, setting + " (log scale)", metric.replace('_', ' '), 620, 340);
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setXAxisDecimalPattern("#,##0");
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        Color[] colors = {Palette.NORMAL, Palette.ORANGE, Palette.GREEN, Palette.PURPLE};
        List<Long> seeds = new ArrayList<>(new TreeSet<>(grid.longColumn("seed").asList()));
        for (int k = 0; k < seeds.size(); k++) {
            Table t = grid.where(grid.stringColumn("varied").isEqualTo(setting).and(grid.longColumn("seed").isEqualTo(seeds.get(k))));
            XYSeries s = c.addSeries("seed " + seeds.get(k), t.numberColumn(setting).asDoubleArray(), t.numberColumn(metric).asDoubleArray());
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineColor(colors[k % colors.length]);
            s.setMarkerColor(colors[k % colors.length]);
        }
        return c;
    }

    private static XYChart base(String title, String x, String y) {
        return base(title, x, y, 900, 420);
    }

    private static XYChart base(String title, String x, String y, int width, int height) {
        XYChart c = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(x).yAxisTitle(y).build();
        Palette.style(c.getStyler(), false);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        c.getStyler().setMarkerSize(5);
        return c;
    }

    private static void line(XYChart c, String name, List<Sweep.Point> points, boolean byCut, ToDoubleFunction<Sweep.Point> y, Color color) {
        double[] xs = points.stream().mapToDouble(p -> byCut ? p.cut() : p.contamination()).toArray();
        XYSeries s = c.addSeries(name, xs, points.stream().mapToDouble(y).toArray());
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setLineWidth(2f);
    }

    /** Dashed vertical lines at each mark, spanning {@code y0}..{@code y1}. */
    private static void mark(XYChart c, Map<String, Double> marks, double y0, double y1) {
        int k = 0;
        for (Map.Entry<String, Double> m : marks.entrySet()) {
            XYSeries s = c.addSeries(m.getKey(), new double[] {m.getValue(), m.getValue()}, new double[] {y0, y1});
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(MARKS[k++ % MARKS.length]);
            s.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {7f, 5f}, 0f));
        }
    }

    /** Two marks in legend order: {@code config.yaml: <current>} and {@code recommended: <best>}. */
    public static Map<String, Double> marks(double current, double recommended) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("config.yaml: " + Format.number(current), current);
        m.put("recommended: " + Format.number(recommended), recommended);
        return m;
    }

    /** Forest quality and training time against trees and against sample_size, as one 2 x 2 picture. */
    public static BufferedImage forestPanels(Table grid) {
        List<BufferedImage> panels = new ArrayList<>();
        for (String setting : List.of("trees", "sample_size")) {
            for (String[] m : new String[][] {{"forest_pr_auc", "Forest PR AUC"}, {"training_seconds", "Training time (s)"}}) {
                XYChart c = forest(grid, setting, m[0], m[1] + " vs " + setting);
                c.getStyler().setYAxisDecimalPattern(m[0].equals("training_seconds") ? "0.0" : "0.000");
                panels.add(BitmapEncoder.getBufferedImage(c));
            }
        }
        return Grid.of(panels, 2, Map.of());
    }
}
