// StageTimer.java -- times each stage of judging a line on one warm thread, for bench/stages_bench.java.
package sentinel;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the stages {@link BatchPipeline} runs (parse, per-line features, client window, forest, verdicts and
 * explanations, rendering) over the same lines several times on the calling thread, each stage over all lines
 * before the next, and keeps each stage's fastest round: CPU cost per line with JIT warm-up and other processes'
 * noise filtered out. The same calls and block size as the pipeline, so what it measures is what detect runs.
 */
public final class StageTimer {
    private static final int BLOCK = BatchPipeline.BLOCK;

    private StageTimer() {}

    /** Nanoseconds per line of each stage (fastest of {@code rounds}), in pipeline order. */
    public static Map<String, Double> time(ModelBundle bundle, List<String> lines, int rounds) {
        Map<String, Double> best = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            Map<String, Long> t = once(bundle, lines);
            for (Map.Entry<String, Long> e : t.entrySet()) {
                best.merge(e.getKey(), e.getValue() / (double) lines.size(), Math::min);
            }
        }
        return best;
    }

    private static Map<String, Long> once(ModelBundle bundle, List<String> lines) {
        Detector detector = new Detector(bundle, LogFormat.AUTO);
        AccessLogParser parser = detector.newParser();
        Featurizer worker = detector.featurizer().forWorker();
        int width = bundle.schema().size();
        int n = lines.size();
        Map<String, Long> t = new LinkedHashMap<>();

        long t0 = System.nanoTime();
        List<AccessRecord> records = new ArrayList<>(n);
        List<String> parsed = new ArrayList<>(n);
        for (String line : lines) {
            if (parser.parse(line) instanceof ParseResult.Parsed p) {
                records.add(p.record());
                parsed.add(line);
            }
        }
        t.put("parse", System.nanoTime() - t0);

        int m = records.size();
        double[][] x = new double[m][width];
        long[] pending = new long[m];
        t0 = System.nanoTime();
        for (int i = 0; i < m; i++) pending[i] = worker.perLine(records.get(i), x[i], false);
        t.put("per-line features", System.nanoTime() - t0);

        t0 = System.nanoTime();
        for (int i = 0; i < m; i++) detector.perClient(records.get(i), pending[i], x[i]);
        t.put("client window", System.nanoTime() - t0);

        double[] scores = new double[m];
        double cut = bundle.threshold().cut();
        t0 = System.nanoTime();
        for (int from = 0; from < m; from += BLOCK) detector.scorer().score(x, from, Math.min(m, from + BLOCK), scores, cut);
        t.put("forest (early stopping)", System.nanoTime() - t0);

        Verdict[] verdicts = new Verdict[m];
        Threshold threshold = bundle.threshold();
        int[] anomalies = new int[BLOCK];
        t0 = System.nanoTime();
        for (int from = 0; from < m; from += BLOCK) {
            int to = Math.min(m, from + BLOCK), count = 0;
            for (int i = from; i < to; i++) {
                scores[i] = detector.guarded(x[i], scores[i]);
                if (threshold.isAnomaly(scores[i])) anomalies[count++] = i;
            }
            double[][] attributions = detector.scorer().pathDepthContributions(x, anomalies, count);
            for (int i = from, next = 0; i < to; i++) {
                double[] attribution = next < count && anomalies[next] == i ? attributions[next++] : null;
                verdicts[i] = detector.verdict(i + 1, parsed.get(i), records.get(i), x[i], scores[i], null, attribution);
            }
        }
        t.put("verdicts and explanations", System.nanoTime() - t0);

        BatchBuffer sink = new BatchBuffer(BLOCK * 256);
        VerdictPrinter printer = new VerdictPrinter(OutputStream.nullOutputStream(), false, false, false, false).sibling(sink);
        String[] names = bundle.schema().names();
        t0 = System.nanoTime();
        for (int i = 0; i < m; i++) {
            printer.print(verdicts[i], names);
            if (sink.size() > (1 << 20)) sink.reset();
        }
        t.put("rendering (text)", System.nanoTime() - t0);

        long total = 0;
        for (long v : t.values()) total += v;
        t.put("total", total);
        return t;
    }
}
