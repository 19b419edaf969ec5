///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Times ForestTrainer.fit and ForestScorer (single rows, batches on 1 thread and on all cores).
//JAVA 17+
//SOURCES ../lib/*.java

// Run: ./jbang bench/forest_bench.java        (about 30 s on 2 cores; prints one figure per line)
// Fits 100 trees on 100,000 seeded rows x 40 features shaped like Sentinel's (correlated numbers, heavy-tailed
// counts, flags, sparse hashed tokens), then scores 1,000,000 rows: 200,000 fresh rows five times over.

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;
import sentinel.ForestScorer;
import sentinel.ForestTrainer;
import sentinel.TrainedForest;

public class forest_bench {
    static final int FEATURES = 40;
    static final int CORES = Runtime.getRuntime().availableProcessors();

    public static void main(String[] args) throws Exception {
        double[][] train = rows(100_000, 1);
        double[][] test = rows(200_000, 2);
        new ForestTrainer(100, 256, 9).fit(train); // warm-up: class loading and JIT
        long t0 = System.nanoTime();
        TrainedForest forest = new ForestTrainer(100, 256, 7).fit(train);
        double fitSeconds = (System.nanoTime() - t0) / 1e9;
        ForestScorer scorer = new ForestScorer(forest);

        double[] out = new double[test.length];
        double sink = 0;
        for (int warm = 0; warm < 2; warm++) {
            for (double[] x : test) sink += scorer.score(x);
            scorer.score(test, out);
        }
        long[] single = time(() -> { for (int r = 0; r < 5; r++) for (double[] x : test) out[0] += scorer.score(x); });
        long[] oneThread = time(() -> { for (int r = 0; r < 5; r++) batchOnCallingThread(scorer, test, out); });
        long processCpu = processCpuNanos();
        long[] parallel = time(() -> { for (int r = 0; r < 5; r++) scorer.score(test, out); });
        processCpu = processCpuNanos() - processCpu;
        int smileRows = 20_000;
        long[] smile = time(() -> { for (int i = 0; i < smileRows; i++) out[0] += forest.referenceScore(test[i]); });

        System.out.printf("load average at the end: %.1f on %d cores (above %d, other processes shared them)%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), CORES, CORES);
        System.out.printf("fit: 100 trees x 256 rows on 100,000 x %d: %.3f s%n", FEATURES, fitSeconds);
        System.out.printf("model: %d trees; %.1f features per tree on average%n", forest.trees(), meanColumns(forest));
        report("score, one row at a time, 1 thread", 1e6, single);
        report("score, batch on the calling thread", 1e6, oneThread);
        report("score, batch on " + CORES + " cores (CPU: all threads)", 1e6, new long[] {parallel[0], processCpu});
        report("score, Smile's own trees (reference)", smileRows, smile);
        if (sink == 42) System.out.println(); // keeps the warm-up from being optimised away
    }

    /** Batches of 1,024 rows stay below ForestScorer's parallel cut-off, so this measures blocking alone. */
    static void batchOnCallingThread(ForestScorer scorer, double[][] rows, double[] out) {
        double[][] chunk = new double[1024][];
        double[] part = new double[1024];
        for (int from = 0; from < rows.length; from += chunk.length) {
            int n = Math.min(chunk.length, rows.length - from);
            double[][] c = n == chunk.length ? chunk : new double[n][];
            System.arraycopy(rows, from, c, 0, n);
            scorer.score(c, part);
            System.arraycopy(part, 0, out, from, n);
        }
    }

    /** Rows with structure: 10 correlated Gaussians, 10 log-normal counts, 10 flags, 10 sparse hashed tokens. */
    static double[][] rows(int n, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[n][FEATURES];
        for (double[] row : x) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            for (int j = 0; j < 10; j++) {
                row[j] = (j % 2 == 0 ? a : b) * (1 + j) + 0.3 * r.nextGaussian();
                row[10 + j] = Math.floor(Math.exp(1 + 0.2 * j * r.nextGaussian()));
                row[20 + j] = r.nextDouble() < Math.pow(0.5, j + 1) ? 1 : 0;
            }
            int tokens = 1 + r.nextInt(3);
            for (int t = 0; t < tokens; t++) {
                row[30 + (int) Math.min(9, Math.abs(r.nextGaussian() * 3))] += 1;
            }
        }
        return x;
    }

    /** Wall-clock and this thread's CPU nanoseconds taken by {@code r}. */
    static long[] time(Runnable r) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long cpu = mx.getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        r.run();
        return new long[] {System.nanoTime() - wall, mx.getCurrentThreadCpuTime() - cpu};
    }

    /** CPU time of the whole JVM: in the parallel batch, both scoring threads (plus a little JIT and GC). */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Rows per wall-clock second, and per CPU second of the scoring thread (what one free core would do). */
    static void report(String what, double rows, long[] t) {
        System.out.printf("%-48s %,11.0f rows/s (wall clock), %,11.0f rows per CPU second%n",
                what, rows / (t[0] / 1e9), rows / (t[1] / 1e9));
    }

    static double meanColumns(TrainedForest f) {
        double sum = 0;
        for (int[] cols : f.columns()) sum += cols.length;
        return sum / f.columns().length;
    }
}
