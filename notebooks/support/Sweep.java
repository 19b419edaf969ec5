// Sweep.java -- detection quality and alert volume of one model across contamination values and score cuts.
package sentinel.notebook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import sentinel.Detector;
import sentinel.LogFormat;
import sentinel.ModelBundle;
import sentinel.ModelSettings;
import sentinel.RangeGuard;
import sentinel.Threshold;
import sentinel.Verdict;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

/**
 * Scores every line of a labelled mix once and then answers "what would the detector flag with this cut?" for any
 * cut, without retraining: contamination only moves the cut (the forest is the same), and {@link sentinel.Detector}
 * flags a line when it does not parse, when a feature is beyond the training range ({@link RangeGuard}), or when
 * the forest's score is above the cut. That is the rule reproduced here, so each point is what {@code detect.java}
 * would do with a model trained at that contamination.
 */
public final class Sweep {
    private final double[] sortedTrainingScores;
    private final double[] forestScores;
    private final boolean[] alwaysFlagged;
    private final boolean[] anomalous;
    private final int attacks;
    private final double hours;

    /**
     * One setting's outcome on the mix. {@code forestRecall} counts only the attack lines whose forest score is above
     * the cut, as if the range guard were not there: the margin left for attacks subtle enough to stay in range.
     */
    public record Point(double contamination, double cut, double precision, double recall, double f1, double alertsPerHour,
                        double falseAlertsPerHour, double forestRecall) {}

    private Sweep(double[] trainingScores, double[] forestScores, boolean[] alwaysFlagged, boolean[] anomalous, double hours) {
        this.sortedTrainingScores = trainingScores.clone();
        Arrays.sort(sortedTrainingScores);
        this.forestScores = forestScores;
        this.alwaysFlagged = alwaysFlagged;
        this.anomalous = anomalous;
        int a = 0;
        for (boolean b : anomalous) if (b) a++;
        this.attacks = a;
        this.hours = hours;
    }

    /** Judges every line of {@code mix} with {@code bundle} (as detect.java would) and keeps the forest score of each. */
    public static Sweep of(ModelBundle bundle, double[] trainingScores, LabelledMix mix) {
        Detector detector = new Detector(bundle, LogFormat.fromName(bundle.provenance().logFormat()));
        RangeGuard guard = new RangeGuard(bundle.featureStats(), RangeGuard.DEFAULT_MARGIN);
        try {
            List<String> lines = Files.readAllLines(mix.log(), StandardCharsets.UTF_8);
            List<String> labels = Files.readAllLines(mix.labels(), StandardCharsets.UTF_8);
            double[] score = new double[lines.size()];
            boolean[] always = new boolean[lines.size()], attack = new boolean[lines.size()];
            for (int i = 0; i < lines.size(); i++) {
                Verdict v = detector.judge(lines.get(i), i + 1, null);
                always[i] = !v.parsed() || guard.excess(v.features()) > 0;
                score[i] = v.parsed() ? detector.scorer().score(v.features()) : Double.POSITIVE_INFINITY;
                attack[i] = labels.get(i + 1).split(",", 3)[1].equals("1");
            }
            return new Sweep(trainingScores, score, always, attack, mix.hours());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The cut a model trained at {@code contamination} uses: Threshold's (1 - contamination) training-score quantile. */
    public double cutFor(double contamination) {
        return Threshold.quantile(sortedTrainingScores, 1 - contamination);
    }

    /** The outcome with the cut of {@code contamination}. */
    public Point atContamination(double contamination) {
        return at(contamination, cutFor(contamination));
    }

    /** The outcome with the cut {@code settings} give: score_threshold if set, else contamination ('auto': score 0.5). */
    public Point atSettings(ModelSettings settings) {
        if (!Double.isNaN(settings.scoreThreshold())) return atCut(settings.scoreThreshold());
        if (settings.autoContamination()) return atCut(Threshold.AUTO_CUT);
        return atContamination(settings.contamination());
    }

    /** The outcome with a fixed score cut ({@code score_threshold}); contamination is the training share above it. */
    public Point atCut(double cut) {
        return at(Threshold.rateAbove(sortedTrainingScores, cut), cut);
    }

    private Point at(double contamination, double cut) {
        int tp = 0, fp = 0, forestTp = 0;
        for (int i = 0; i < forestScores.length; i++) {
            if (alwaysFlagged[i] || forestScores[i] > cut) {
                if (anomalous[i]) tp++; else fp++;
            }
            if (anomalous[i] && forestScores[i] > cut) forestTp++;
        }
        double p = tp + fp == 0 ? 0 : (double) tp / (tp + fp), r = attacks == 0 ? 0 : (double) tp / attacks;
        return new Point(contamination, cut, p, r, p + r == 0 ? 0 : 2 * p * r / (p + r), (tp + fp) / hours, fp / hours,
                attacks == 0 ? 0 : (double) forestTp / attacks);
    }

    /** Points for each contamination in {@code grid}. */
    public List<Point> overContamination(double[] grid) {
        List<Point> out = new ArrayList<>();
        for (double c : grid) out.add(atContamination(c));
        return out;
    }

    /** Points for each score cut in {@code cuts}. */
    public List<Point> overCuts(double[] cuts) {
        List<Point> out = new ArrayList<>();
        for (double c : cuts) out.add(atCut(c));
        return out;
    }

    /**
     * The recommended contamination: the best F1 on the mix among values that leave at least {@code minTrainingLines}
     * training lines above the cut (a cut set by fewer lines is set by noise in the tail). Ties go to the larger
     * value: the same mistakes on this mix, more room for attacks subtler than the simulated ones.
     */
    public Point recommend(List<Point> points, int minTrainingLines) {
        double floor = (double) minTrainingLines / sortedTrainingScores.length;
        Point best = null;
        for (Point p : points) {
            if (p.contamination() + 1e-12 < floor) continue;
            if (best == null || p.f1() > best.f1() + 1e-9 || (Math.abs(p.f1() - best.f1()) <= 1e-9 && p.contamination() > best.contamination())) {
                best = p;
            }
        }
        return best;
    }

    /** {@code n} values from {@code lo} to {@code hi}, evenly spaced on a log scale and rounded to 2 significant digits. */
    public static double[] logGrid(double lo, double hi, int n) {
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            double v = lo * Math.pow(hi / lo, (double) i / (n - 1));
            double scale = Math.pow(10, Math.floor(Math.log10(v)) - 1);
            g[i] = Math.round(v / scale) * scale;
        }
        return Arrays.stream(g).distinct().toArray();
    }

    /** {@code n} evenly spaced values from {@code lo} to {@code hi}. */
    public static double[] linearGrid(double lo, double hi, int n) {
        double[] g = new double[n];
        for (int i = 0; i < n; i++) g[i] = lo + (hi - lo) * i / (n - 1);
        return g;
    }

    /** Lines of the mix, attacks among them, the hours they span, and the lines flagged whatever the cut. */
    public String describe() {
        int alwaysAttacks = 0, alwaysNormal = 0;
        for (int i = 0; i < anomalous.length; i++) {
            if (alwaysFlagged[i] && anomalous[i]) alwaysAttacks++;
            if (alwaysFlagged[i] && !anomalous[i]) alwaysNormal++;
        }
        return String.format(Locale.ROOT, "%,d lines (%,d attack lines, %.1f%%) spanning %.2f h of simulated traffic (%.0f lines/s).%n"
                + "Flagged whatever the cut (unparsed, or a feature beyond its training range): %,d attack lines and %,d normal lines.",
                forestScores.length, attacks, 100.0 * attacks / forestScores.length, hours, forestScores.length / hours / 3600,
                alwaysAttacks, alwaysNormal);
    }

    /** The ends and the marks of a contamination sweep, in sentences: what the charts show, with the numbers. */
    public static String trend(List<Point> points, Point current, Point best) {
        Point hi = points.get(points.size() - 1), lo = points.get(0);
        StringBuilder sb = new StringBuilder();
        for (Point p : List.of(hi, current, best, lo)) {
            sb.append(String.format(Locale.ROOT, "contamination %-7s precision %.3f  recall %.3f  F1 %.3f  forest alone %3.0f%%  false alarms/h %,7.0f%s%n",
                    Format.number(p.contamination()), p.precision(), p.recall(), p.f1(), p.forestRecall() * 100, p.falseAlertsPerHour(),
                    p == current ? "  (config.yaml)" : p == best ? "  (recommended)" : p == hi ? "  (highest tried)" : "  (lowest tried)"));
        }
        return sb.toString();
    }

    /** Where a sweep over fixed cuts has its best F1, and what the forest score alone still catches there. */
    public static String bestCut(List<Point> cuts) {
        Point best = cuts.get(0);
        for (Point p : cuts) if (p.f1() > best.f1() + 1e-9) best = p;
        return String.format(Locale.ROOT, "Best F1 %.3f from score_threshold %.3f on: %.2f%% of the training lines score above it, "
                + "and the forest score alone catches %.0f%% of the attack lines there.", best.f1(), best.cut(), best.contamination() * 100,
                best.forestRecall() * 100);
    }

    /** Why {@code best} is recommended over {@code current}, in sentences with the numbers. */
    public String reasoning(Point best, Point current) {
        long above = Math.round(Threshold.rateAbove(sortedTrainingScores, best.cut()) * sortedTrainingScores.length);
        return String.format(Locale.ROOT, "Recommended contamination: %s (score cut %.4f)%n"
                + "- F1 %.3f (precision %.3f, recall %.3f) against %.3f (precision %.3f, recall %.3f) at the current %s.%n"
                + "- False alarms: %,.0f an hour instead of %,.0f at this mix's %.0f lines/s; all flagged lines: %,.0f an hour.%n"
                + "- Without the range guard, the forest score alone would still catch %.0f%% of the attack lines (%.0f%% at %s).%n"
                + "- %,d training lines score above its cut, enough that the cut is not set by one or two extreme lines.%n"
                + "- Among values with the same F1 it is the largest: same mistakes here, more room for subtler attacks.",
                Format.number(best.contamination()), best.cut(), best.f1(), best.precision(), best.recall(), current.f1(),
                current.precision(), current.recall(), Format.number(current.contamination()), best.falseAlertsPerHour(),
                current.falseAlertsPerHour(), forestScores.length / hours / 3600, best.alertsPerHour(), best.forestRecall() * 100,
                current.forestRecall() * 100, Format.number(current.contamination()), above);
    }

    /** Forest scores of the mix lines (+∞ for unparsed ones) and their labels, for plotting. */
    public double[] scores() {
        return forestScores.clone();
    }

    public boolean[] anomalous() {
        return anomalous.clone();
    }

    public double[] trainingScores() {
        return sortedTrainingScores.clone();
    }

    /** Points as a table: one row per setting. */
    public static Table table(List<Point> points) {
        Table t = Table.create("sweep");
        String[] names = {"contamination", "cut", "precision", "recall", "f1", "forest_recall", "alerts_per_hour", "false_alerts_per_hour"};
        for (int k = 0; k < names.length; k++) {
            DoubleColumn col = DoubleColumn.create(names[k]);
            for (Point p : points) {
                double[] v = {p.contamination(), p.cut(), p.precision(), p.recall(), p.f1(), p.forestRecall(), p.alertsPerHour(),
                    p.falseAlertsPerHour()};
                col.append(k < 6 ? Math.round(v[k] * 10000) / 10000.0 : Math.round(v[k]));
            }
            t.addColumns(col);
        }
        return t;
    }
}
