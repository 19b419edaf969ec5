// ForestGrid.java -- retrains with other trees / sample_size values and measures quality and training time.
package sentinel.notebook;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import sentinel.Evaluation;
import sentinel.ModelSettings;
import sentinel.Training;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Trains one model per (setting value, seed) with lib's {@link Training}, exactly as {@code train.java --trees N}
 * would, and scores the labelled mix. Quality is measured two ways: the forest's own ranking (ROC and PR AUC of the
 * forest score, the part trees and sample_size change) and the whole detector's F1 with the base settings' cut.
 */
public final class ForestGrid {
    private ForestGrid() {}

    /** Rows for {@code trees} values (other settings from {@code base}) and then {@code sampleSizes} values, each per seed. */
    public static Table run(Path trainFile, ModelSettings base, LabelledMix mix, int[] trees, int[] sampleSizes, long[] seeds) {
        StringColumn varied = StringColumn.create("varied");
        IntColumn treesCol = IntColumn.create("trees"), sampleCol = IntColumn.create("sample_size");
        LongColumn seedCol = LongColumn.create("seed");
        DoubleColumn seconds = DoubleColumn.create("training_seconds"), roc = DoubleColumn.create("forest_roc_auc"),
                pr = DoubleColumn.create("forest_pr_auc"), f1 = DoubleColumn.create("detector_f1");
        Map<String, double[]> done = new HashMap<>(); // the base settings appear in both rows: train them once
        // One untimed run first, so the timed ones do not include the JIT compiling the training path.
        new Training(base).run(trainFile, null, true);
        for (String what : new String[] {"trees", "sample_size"}) {
            for (int v : what.equals("trees") ? trees : sampleSizes) {
                for (long seed : seeds) {
                    int t = what.equals("trees") ? v : base.trees(), s = what.equals("trees") ? base.sampleSize() : v;
                    ModelSettings settings = new ModelSettings(base.contamination(), base.scoreThreshold(), t, s, seed, base.logFormat(), base.logPattern());
                    double[] row = done.computeIfAbsent(t + "/" + s + "/" + seed, k -> measure(trainFile, settings, base, mix));
                    varied.append(what);
                    treesCol.append(t);
                    sampleCol.append(s);
                    seedCol.append(seed);
                    seconds.append(row[0]);
                    roc.append(row[1]);
                    pr.append(row[2]);
                    f1.append(row[3]);
                }
            }
        }
        return Table.create("forest settings", varied, treesCol, sampleCol, seedCol, seconds, roc, pr, f1);
    }

    /** Mean over seeds of forest PR AUC, detector F1 and training seconds for each value of each setting, one line each. */
    public static String summary(Table grid) {
        StringBuilder sb = new StringBuilder();
        for (String setting : new String[] {"trees", "sample_size"}) {
            Table t = grid.where(grid.stringColumn("varied").isEqualTo(setting));
            for (Object v : new java.util.TreeSet<>(t.intColumn(setting).asList())) {
                Table r = t.where(t.intColumn(setting).isEqualTo((Integer) v));
                sb.append(String.format(java.util.Locale.ROOT, "%-11s %5d: forest PR AUC %.3f, detector F1 %.3f, training %.2f s%n", setting, v,
                        r.doubleColumn("forest_pr_auc").mean(), r.doubleColumn("detector_f1").mean(), r.doubleColumn("training_seconds").mean()));
            }
        }
        return sb.toString();
    }

    /** Training seconds, forest ROC AUC, forest PR AUC and detector F1 for one setting. */
    private static double[] measure(Path trainFile, ModelSettings settings, ModelSettings base, LabelledMix mix) {
        System.gc(); // the previous run's garbage is not this run's cost
        long started = System.nanoTime();
        Training.Result r = new Training(settings).run(trainFile, null, true);
        double secs = (System.nanoTime() - started) / 1e9;
        Sweep sweep = Sweep.of(r.bundle(), r.trainingScores(), mix);
        return new double[] {Math.round(secs * 100) / 100.0, round(Evaluation.rocAuc(sweep.scores(), sweep.anomalous())),
            round(Evaluation.prAuc(sweep.scores(), sweep.anomalous())), round(sweep.atSettings(base).f1())};
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
