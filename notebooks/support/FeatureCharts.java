// FeatureCharts.java -- pictures of the feature table: distributions by label, traffic over time, category shares, correlations.
package sentinel.notebook;

import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Charts over a {@link FeatureTable}. Distributions are shares of each label's own lines, so the few anomalous lines
 * are as visible as the many normal ones.
 */
public final class FeatureCharts {
    private static final List<String> LABELS = List.of("normal", "anomalous");

    private FeatureCharts() {}

    /** One small histogram per feature (normal blue, anomalous red), {@code cols} to a row, with a legend on top. */
    public static BufferedImage histograms(Table t, List<String> features, int cols) {
        List<BufferedImage> panels = new ArrayList<>();
        for (String f : features) panels.add(BitmapEncoder.getBufferedImage(histogram(t, f, 300, 190)));
        return Grid.of(panels, cols, Palette.LABELS);
    }

    /**
     * A histogram of one feature by label: side-by-side bars per value for integer features with few values, else the outline
     * of 24 equal bins; each label's bars sum to 100%.
     */
    public static Chart<?, ?> histogram(Table t, String feature, int width, int height) {
        double[] all = t.numberColumn(feature).asDoubleArray();
        double min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
        boolean integers = true;
        for (double v : all) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            integers &= v == Math.rint(v);
        }
        if (integers && max - min <= 12) return bars(t, feature, (int) min, (int) max, width, height);
        double w = Math.max(max - min, 1e-9) / 24;
        XYChart c = new XYChartBuilder().width(width).height(height).title(feature).build();
        Palette.style(c.getStyler(), true);
        c.getStyler().setLegendVisible(false);
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
        c.getStyler().setYAxisDecimalPattern("0%");
        c.getStyler().setXAxisDecimalPattern(max - min >= 10 ? "#,##0" : "0.0#");
        for (String label : LABELS) {
            double[] share = new double[24];
            double[] v = byLabel(t, feature, label);
            for (double x : v) share[Math.min(23, (int) ((x - min) / w))] += 1.0 / Math.max(1, v.length);
            double[][] xy = steps(share, min, w);
            XYSeries s = c.addSeries(label, xy[0], xy[1]);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(color(label));
            s.setFillColor(Palette.alpha(color(label), 90));
        }
        return c;
    }

    private static CategoryChart bars(Table t, String feature, int min, int max, int width, int height) {
        CategoryChart c = new CategoryChartBuilder().width(width).height(height).title(feature).build();
        Palette.style(c.getStyler(), true);
        c.getStyler().setLegendVisible(false);
        c.getStyler().setYAxisDecimalPattern("0%");
        List<Integer> values = new ArrayList<>();
        for (int v = min; v <= max; v++) values.add(v);
        for (String label : LABELS) {
            double[] share = new double[max - min + 1];
            double[] v = byLabel(t, feature, label);
            for (double x : v) share[(int) x - min] += 1.0 / Math.max(1, v.length);
            List<Double> ys = new ArrayList<>();
            for (double y : share) ys.add(y);
            c.addSeries(label, values, ys).setFillColor(color(label));
        }
        return c;
    }

    /** The outline of a histogram: up, across and down each bar. */
    private static double[][] steps(double[] share, double lo, double w) {
        double[] x = new double[share.length * 2 + 2], y = new double[share.length * 2 + 2];
        x[0] = lo;
        for (int i = 0; i < share.length; i++) {
            x[2 * i + 1] = lo + i * w;
            y[2 * i + 1] = share[i];
            x[2 * i + 2] = lo + (i + 1) * w;
            y[2 * i + 2] = share[i];
        }
        x[x.length - 1] = lo + share.length * w;
        return new double[][] {x, y};
    }

    private static double[] byLabel(Table t, String feature, String label) {
        double[] all = t.numberColumn(feature).asDoubleArray();
        StringColumn labels = t.stringColumn("label");
        double[] out = new double[all.length];
        int n = 0;
        for (int i = 0; i < all.length; i++) if (labels.get(i).equals(label)) out[n++] = all[i];
        return Arrays.copyOf(out, n);
    }

    private static Color color(String label) {
        return label.equals("normal") ? Palette.NORMAL : Palette.ANOMALOUS;
    }

    /**
     * Traffic of the {@code source} lines ("training" or "mix") per {@code binSeconds}: attack lines stacked by kind
     * (left axis) and all requests as a line (right axis), so bursts stand out against the steady background.
     */
    public static XYChart trafficOverTime(Table t, String source, int binSeconds) {
        Table s = t.where(t.stringColumn("source").isEqualTo(source));
        List<String> kinds = new ArrayList<>(new TreeSet<>(s.stringColumn("kind").asList()));
        kinds.remove("normal");
        double[][] counts = perBin(s, kinds, binSeconds);
        int n = counts[0].length;
        double[] all = counts[kinds.size()], x = new double[n];
        for (int i = 0; i < n; i++) x[i] = i * binSeconds / 60.0;
        XYChart c = new XYChartBuilder().width(1000).height(380).title("Traffic per " + binSeconds + " s (" + source + " log)")
                .xAxisTitle("minutes since the first line").build();
        Palette.style(c.getStyler(), false);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.setYAxisGroupTitle(0, "attack lines (stacked by kind)");
        c.setYAxisGroupTitle(1, "all requests");
        c.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        c.getStyler().setYAxisMin(0, 0.0);
        c.getStyler().setYAxisMin(1, 0.0);
        // Each kind is drawn as the running total up to it, largest first, so the areas stack.
        for (int k = kinds.size() - 1; k >= 0; k--) {
            double[] y = new double[n];
            for (int j = 0; j <= k; j++) for (int i = 0; i < n; i++) y[i] += counts[j][i];
            XYSeries ser = c.addSeries(kinds.get(k).toLowerCase(Locale.ROOT).replace('_', ' '), x, y);
            ser.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
            ser.setMarker(SeriesMarkers.NONE);
            ser.setLineColor(Palette.KINDS[k % Palette.KINDS.length]);
            ser.setFillColor(Palette.KINDS[k % Palette.KINDS.length]);
        }
        XYSeries total = c.addSeries("all requests", x, all);
        total.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        total.setYAxisGroup(1);
        total.setMarker(SeriesMarkers.NONE);
        total.setLineColor(Palette.NORMAL);
        total.setLineWidth(2f);
        return c;
    }

    /** Lines per bin of {@code binSeconds} for each of {@code kinds}, then (last row) all lines, from the first line's time. */
    private static double[][] perBin(Table s, List<String> kinds, int binSeconds) {
        long first = Long.MAX_VALUE;
        long[] secs = new long[s.rowCount()];
        for (int i = 0; i < secs.length; i++) {
            secs[i] = s.dateTimeColumn("time").get(i).toEpochSecond(ZoneOffset.UTC);
            first = Math.min(first, secs[i]);
        }
        int n = 0;
        for (long sec : secs) n = Math.max(n, (int) ((sec - first) / binSeconds) + 1);
        double[][] counts = new double[kinds.size() + 1][n];
        for (int i = 0; i < secs.length; i++) {
            int bin = (int) ((secs[i] - first) / binSeconds), k = kinds.indexOf(s.stringColumn("kind").get(i));
            counts[kinds.size()][bin]++;
            if (k >= 0) counts[k][bin]++;
        }
        return counts;
    }

    /**
     * Side-by-side bars: the share of each label's lines taking each value of {@code column} (the {@code top} most
     * frequent values, the rest summed as "other").
     */
    public static CategoryChart shares(Table t, String column, int top, String title) {
        Map<String, double[]> counts = new LinkedHashMap<>();
        Map<String, Integer> totals = new TreeMap<>();
        for (int i = 0; i < t.rowCount(); i++) {
            String v = t.column(column).getString(i);
            int l = t.stringColumn("label").get(i).equals("normal") ? 0 : 1;
            counts.computeIfAbsent(v, k -> new double[2])[l]++;
            totals.merge(LABELS.get(l), 1, Integer::sum);
        }
        List<Map.Entry<String, double[]>> order = new ArrayList<>(counts.entrySet());
        order.sort((p, q) -> Double.compare(q.getValue()[0] + q.getValue()[1] * 20, p.getValue()[0] + p.getValue()[1] * 20));
        List<String> cats = new ArrayList<>();
        List<Double> normal = new ArrayList<>(), anomalous = new ArrayList<>();
        double otherN = 0, otherA = 0;
        for (int i = 0; i < order.size(); i++) {
            double[] c = order.get(i).getValue();
            double n = c[0] / totals.getOrDefault("normal", 1), a = c[1] / totals.getOrDefault("anomalous", 1);
            if (i < top) {
                cats.add(order.get(i).getKey());
                normal.add(n);
                anomalous.add(a);
            } else {
                otherN += n;
                otherA += a;
            }
        }
        if (order.size() > top) {
            cats.add("other");
            normal.add(otherN);
            anomalous.add(otherA);
        }
        CategoryChart c = new CategoryChartBuilder().width(900).height(340).title(title).yAxisTitle("share of the label's lines").build();
        Palette.style(c.getStyler(), false);
        c.getStyler().setYAxisDecimalPattern("0%");
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.addSeries("normal", cats, normal).setFillColor(Palette.NORMAL);
        c.addSeries("anomalous", cats, anomalous).setFillColor(Palette.ANOMALOUS);
        return c;
    }

    /** Pearson correlations between features (constant features left out), as a heat map from -1 (blue) to +1 (red). */
    public static HeatMapChart correlations(Table t, List<String> features) {
        List<String> used = new ArrayList<>();
        List<double[]> cols = new ArrayList<>();
        for (String f : features) {
            double[] v = ((NumericColumn<?>) t.column(f)).asDoubleArray();
            if (Stats.std(v) > 0) {
                used.add(f);
                cols.add(v);
            }
        }
        int n = used.size();
        List<Number[]> cells = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) cells.add(new Number[] {i, n - 1 - j, Math.round(Stats.correlation(cols.get(i), cols.get(j)) * 100) / 100.0});
        }
        List<String> rows = new ArrayList<>(used);
        Collections.reverse(rows);
        HeatMapChart c = new HeatMapChartBuilder().width(1000).height(900).title("Feature correlations (Pearson r)").build();
        Palette.style(c.getStyler(), false);
        c.getStyler().setRangeColors(new Color[] {Palette.NORMAL, Color.WHITE, Palette.ANOMALOUS});
        c.getStyler().setMin(-1);
        c.getStyler().setMax(1);
        c.getStyler().setXAxisLabelRotation(60);
        c.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        c.getStyler().setLegendVisible(true);
        c.addSeries("r", used, rows, cells);
        return c;
    }

    /** Two features against each other, one dot per line; anomalous lines drawn last so they stay visible. */
    public static XYChart scatter(Table t, String x, String y) {
        XYChart c = new XYChartBuilder().width(900).height(420).title(x + " vs " + y).xAxisTitle(x).yAxisTitle(y).build();
        Palette.style(c.getStyler(), false);
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setMarkerSize(5);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        for (String label : LABELS) {
            Table s = t.where(t.stringColumn("label").isEqualTo(label));
            XYSeries ser = c.addSeries(label, s.numberColumn(x).asDoubleArray(), s.numberColumn(y).asDoubleArray());
            ser.setMarker(SeriesMarkers.CIRCLE);
            ser.setMarkerColor(Palette.alpha(label.equals("normal") ? Palette.NORMAL : Palette.ANOMALOUS, label.equals("normal") ? 60 : 160));
        }
        return c;
    }
}
