// Evaluation.java -- scores a labelled log with a model and measures detection quality (ROC AUC, PR AUC, P/R/F1, per source).
//DEPS com.fasterxml.jackson.core:jackson-core:2.20.1
package sentinel;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Detection quality of a model on a labelled log (labels CSV: {@code line_no,label,source}, label 1 = attack).
 * Lines that do not parse count as flagged (an unparseable request is itself suspicious) with score +∞.
 */
public record Evaluation(int lines, int attacks, double rocAuc, double prAuc, double precision, double recall, double f1,
                         double normalFlaggedShare, long unparsed, Map<String, double[]> bySource, double[] scores, boolean[] labels) {

    /** A model trained for an evaluation and how it did: what evaluate.java prints and the notebooks show. */
    public record Trial(Training.Result training, Evaluation evaluation) {

        /** The model's settings in one line, then {@link Evaluation#report()}. */
        public String report() {
            return heading() + System.lineSeparator() + evaluation.report();
        }

        /** One JSON object: the model's settings and every figure of the report. */
        public String json() {
            ModelBundle b = training.bundle();
            StringWriter w = new StringWriter();
            try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
                g.writeStartObject();
                g.writeStringField("rule", b.threshold().rule());
                g.writeNumberField("threshold", b.threshold().cut());
                g.writeNumberField("training_alert_rate", b.threshold().trainingAlertRate());
                g.writeNumberField("features", b.schema().size());
                g.writeBooleanField("user_agent_features", b.schema().userAgentFeatures());
                g.writeNumberField("seed", b.provenance().seed());
                evaluation.writeFigures(g);
                g.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return w.toString();
        }

        private String heading() {
            ModelBundle b = training.bundle();
            return String.format(Locale.ROOT, "model: %s -> threshold %.4f (flags %.2f%% of training), %d features, user-agent features %s, seed %d",
                    b.threshold().rule(), b.threshold().cut(), b.threshold().trainingAlertRate() * 100, b.schema().size(),
                    b.schema().userAgentFeatures() ? "on" : "off", b.provenance().seed());
        }
    }

    /**
     * Trains on {@code train} as train.java does (with or without user-agent features), then judges the labelled
     * {@code test} log: the one entry point evaluate.java, the notebooks and the regression test share.
     */
    public static Trial trainAndRun(ModelSettings settings, boolean userAgentFeatures, Path train, Path test, Path labelsCsv) {
        // training takes seconds: say what is missing before it starts
        for (Path p : new Path[] {test, labelsCsv}) {
            if (!Files.isRegularFile(p)) throw SentinelException.badInput(p + " does not exist or is not a file");
        }
        FeatureSchema schema = Featurizer.schemaFor(Featurizer.DEFAULT_BUCKETS, userAgentFeatures, true);
        Training.Result trained = new Training(settings, schema).run(train, null, true);
        return new Trial(trained, run(trained.bundle(), settings.parser(), test, labelsCsv));
    }

    /** Judges every line of {@code log} in order with a fresh {@link Detector} and compares with {@code labelsCsv}. */
    public static Evaluation run(ModelBundle bundle, LogFormat format, Path log, Path labelsCsv) {
        return run(bundle, new AccessLogParser(format), log, labelsCsv);
    }

    /** {@link #run(ModelBundle, LogFormat, Path, Path)} reading lines with {@code parser}. */
    public static Evaluation run(ModelBundle bundle, AccessLogParser parser, Path log, Path labelsCsv) {
        List<String[]> labels = readLabels(labelsCsv);
        Detector detector = new Detector(bundle, parser);
        double[] scores = new double[labels.size()];
        boolean[] flagged = new boolean[labels.size()];
        long unparsed = 0;
        int n = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(log), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE)), 1 << 16)) {
            for (String line; (line = r.readLine()) != null && n < scores.length; n++) {
                Verdict v = detector.judge(line, n + 1, null);
                if (!v.parsed()) unparsed++;
                scores[n] = v.parsed() ? v.score() : Double.POSITIVE_INFINITY;
                flagged[n] = !v.parsed() || v.anomaly();
            }
        } catch (NoSuchFileException e) {
            throw SentinelException.badInput("log " + log + " does not exist");
        } catch (IOException e) {
            throw SentinelException.badInput("cannot read " + log + ": " + e.getMessage());
        }
        if (n != labels.size()) throw SentinelException.badInput(log + " has " + n + " lines but " + labelsCsv + " labels " + labels.size());
        return measure(scores, flagged, labels, unparsed);
    }

    static Evaluation measure(double[] scores, boolean[] flagged, List<String[]> labels, long unparsed) {
        int n = scores.length, attacks = 0, tp = 0, fp = 0, normals = 0;
        boolean[] y = new boolean[n];
        Map<String, double[]> bySource = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            y[i] = labels.get(i)[1].equals("1");
            String source = labels.get(i).length > 2 ? labels.get(i)[2] : (y[i] ? "attack" : "normal");
            double[] c = bySource.computeIfAbsent(source, k -> new double[3]);
            c[0]++;
            if (flagged[i]) c[1]++;
            if (y[i]) attacks++; else normals++;
            if (flagged[i] && y[i]) tp++;
            if (flagged[i] && !y[i]) fp++;
        }
        for (double[] c : bySource.values()) c[2] = c[1] / c[0];
        double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        double recall = attacks == 0 ? 0 : (double) tp / attacks;
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new Evaluation(n, attacks, rocAuc(scores, y), prAuc(scores, y), precision, recall, f1,
                normals == 0 ? 0 : (double) fp / normals, unparsed, bySource, scores, y);
    }

    /** ROC AUC by ranks (Mann–Whitney), ties counted half. */
    public static double rocAuc(double[] scores, boolean[] y) {
        Integer[] idx = order(scores);
        double rankSumPos = 0;
        long pos = 0, neg = 0;
        int i = 0;
        while (i < idx.length) {
            int j = i;
            while (j + 1 < idx.length && scores[idx[j + 1]] == scores[idx[i]]) j++;
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) if (y[idx[k]]) { rankSumPos += rank; pos++; } else neg++;
            i = j + 1;
        }
        if (pos == 0 || neg == 0) return Double.NaN;
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /** Average precision (area under the precision–recall curve, step-wise), highest scores first. */
    public static double prAuc(double[] scores, boolean[] y) {
        Integer[] idx = order(scores);
        long pos = 0;
        for (boolean b : y) if (b) pos++;
        if (pos == 0) return Double.NaN;
        double ap = 0;
        long tp = 0, seen = 0;
        int i = idx.length - 1;
        while (i >= 0) {
            int j = i;
            long groupTp = 0, group = 0;
            while (j >= 0 && scores[idx[j]] == scores[idx[i]]) { if (y[idx[j]]) groupTp++; group++; j--; }
            tp += groupTp;
            seen += group;
            ap += (double) groupTp / pos * ((double) tp / seen);
            i = j;
        }
        return ap;
    }

    private static Integer[] order(double[] scores) {
        Integer[] idx = new Integer[scores.length];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> Double.compare(scores[a], scores[b]));
        return idx;
    }

    static List<String[]> readLabels(Path csv) {
        try {
            List<String[]> out = new ArrayList<>();
            for (String l : Files.readAllLines(csv)) {
                if (l.isBlank() || l.startsWith("line_no")) continue;
                out.add(l.split(",", 3));
            }
            return out;
        } catch (NoSuchFileException e) {
            throw SentinelException.badInput("labels file " + csv + " does not exist");
        } catch (IOException e) {
            throw SentinelException.badInput("cannot read labels " + csv + ": " + e.getMessage());
        }
    }

    /** Writes the figures of {@link #report()} as fields of the current JSON object. */
    void writeFigures(JsonGenerator g) throws IOException {
        g.writeNumberField("lines", lines);
        g.writeNumberField("attacks", attacks);
        g.writeNumberField("unparsed", unparsed);
        g.writeNumberField("roc_auc", rocAuc);
        g.writeNumberField("pr_auc", prAuc);
        g.writeNumberField("precision", precision);
        g.writeNumberField("recall", recall);
        g.writeNumberField("f1", f1);
        g.writeNumberField("normal_flagged_share", normalFlaggedShare);
        g.writeObjectFieldStart("by_source");
        for (Map.Entry<String, double[]> e : bySource.entrySet()) {
            g.writeObjectFieldStart(e.getKey());
            g.writeNumberField("lines", (long) e.getValue()[0]);
            g.writeNumberField("flagged", (long) e.getValue()[1]);
            g.writeNumberField("share", e.getValue()[2]);
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** A table for people: the headline figures, then the share of each source's lines that was flagged. */
    public String report() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "lines %,d (attack %,d, unparsed %,d)%n", lines, attacks, unparsed));
        sb.append(String.format(Locale.ROOT, "ROC AUC %.4f   PR AUC %.4f%n", rocAuc, prAuc));
        sb.append(String.format(Locale.ROOT, "precision %.4f   recall %.4f   F1 %.4f   normal lines flagged %.3f%%%n",
                precision, recall, f1, normalFlaggedShare * 100));
        sb.append(String.format(Locale.ROOT, "%-16s %8s %8s %8s%n", "source", "lines", "flagged", "share"));
        for (Map.Entry<String, double[]> e : bySource.entrySet()) {
            double[] c = e.getValue();
            sb.append(String.format(Locale.ROOT, "%-16s %8.0f %8.0f %7.2f%%%n", e.getKey(), c[0], c[1], c[2] * 100));
        }
        return sb.toString();
    }
}
