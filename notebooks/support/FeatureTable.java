// FeatureTable.java -- one Tablesaw row per log line: parsed fields, every feature the model sees, and the label.
package sentinel.notebook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import sentinel.AccessLogParser;
import sentinel.AccessRecord;
import sentinel.Detector;
import sentinel.Featurizer;
import sentinel.LogFormat;
import sentinel.ModelBundle;
import sentinel.ParseResult;
import sentinel.Verdict;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DateTimeColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Builds the exploration table with lib's own code paths: training lines are featurized the way
 * {@code Training} does (with the training profile, each line leaving itself out of the rarity counts) and mix lines
 * are judged by a {@link Detector} exactly as {@code detect.java} judges them, so every number is what the model sees.
 */
public final class FeatureTable {
    /** Names of Featurizer's {@code ua_family} codes 0..4 (see its Javadoc). */
    public static final List<String> UA_FAMILIES = List.of("browser", "bot or monitor", "HTTP library", "empty", "other");
    /** Names of Featurizer's {@code ext_class} codes 0..4. */
    public static final List<String> EXT_CLASSES = List.of("none", "page", "static asset", "server script", "other");

    private FeatureTable() {}

    /**
     * Training lines then mix lines; {@code source} says which, {@code label} is "normal" or "anomalous", {@code kind}
     * the attack kind, {@code score} the model's score (4 decimals) and {@code flagged} whether the detector would flag the line.
     */
    public static Table build(ModelBundle bundle, Path trainingLog, LabelledMix mix) {
        Rows rows = new Rows(bundle.schema().names());
        Featurizer featurizer = new Featurizer(bundle.schema(), bundle.profile());
        LogFormat format = LogFormat.fromName(bundle.provenance().logFormat());
        Detector detector = new Detector(bundle, format);
        AccessLogParser parser = new AccessLogParser(format);
        List<String> lines = readLines(trainingLog);
        for (int i = 0; i < lines.size(); i++) {
            if (parser.parse(lines.get(i)) instanceof ParseResult.Parsed p) {
                double[] x = new double[bundle.schema().size()];
                featurizer.featurize(p.record(), x, true);
                double score = detector.scorer().score(x);
                rows.add("training", i + 1, p.record(), x, "normal", score, bundle.threshold().isAnomaly(score));
            }
        }
        List<String> mixLines = readLines(mix.log());
        List<String> labels = readLines(mix.labels());
        for (int i = 0; i < mixLines.size(); i++) {
            Verdict v = detector.judge(mixLines.get(i), i + 1, null);
            String kind = labels.get(i + 1).split(",", 3)[2];
            if (v.parsed()) rows.add("mix", i + 1, v.record(), v.features(), kind, v.score(), v.anomaly());
        }
        return rows.table("sentinel features");
    }

    /** Per feature: mean and median over normal lines and over anomalous lines, side by side. */
    public static Table compare(Table t, List<String> features) {
        StringColumn name = StringColumn.create("feature");
        DoubleColumn nMean = DoubleColumn.create("normal_mean"), aMean = DoubleColumn.create("anomalous_mean"),
                nMedian = DoubleColumn.create("normal_median"), aMedian = DoubleColumn.create("anomalous_median");
        Table normal = t.where(t.stringColumn("label").isEqualTo("normal"));
        Table anomalous = t.where(t.stringColumn("label").isEqualTo("anomalous"));
        for (String f : features) {
            name.append(f);
            nMean.append(round(normal.numberColumn(f).mean()));
            aMean.append(round(anomalous.numberColumn(f).mean()));
            nMedian.append(round(normal.numberColumn(f).median()));
            aMedian.append(round(anomalous.numberColumn(f).median()));
        }
        return Table.create("features by label", name, nMean, aMean, nMedian, aMedian);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static List<String> readLines(Path p) {
        try {
            return Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Column builders, filled row by row. */
    private static final class Rows {
        final String[] features;
        final StringColumn source = StringColumn.create("source"), ip = StringColumn.create("ip"), method = StringColumn.create("http_method"),
                path = StringColumn.create("path"), query = StringColumn.create("query"), referrer = StringColumn.create("referrer"),
                agent = StringColumn.create("user_agent"), label = StringColumn.create("label"), kind = StringColumn.create("kind"),
                family = StringColumn.create("ua_family_name");
        final DoubleColumn score = DoubleColumn.create("score");
        final BooleanColumn flagged = BooleanColumn.create("flagged");
        final IntColumn lineNo = IntColumn.create("line_no"), status = IntColumn.create("status");
        final LongColumn bytes = LongColumn.create("bytes");
        final DateTimeColumn time = DateTimeColumn.create("time");
        final List<DoubleColumn> values = new ArrayList<>();

        Rows(String[] features) {
            this.features = features;
            for (String f : features) values.add(DoubleColumn.create(f));
        }

        void add(String src, int no, AccessRecord r, double[] x, String k, double s, boolean f) {
            source.append(src);
            lineNo.append(no);
            time.append(r.epochSecond() < 0 ? null : LocalDateTime.ofEpochSecond(r.epochSecond(), 0, ZoneOffset.UTC));
            ip.append(r.ip());
            method.append(r.method());
            path.append(r.path());
            query.append(r.query());
            status.append(r.status());
            bytes.append(r.bytes());
            referrer.append(r.referrer());
            agent.append(r.userAgent());
            for (int j = 0; j < x.length; j++) values.get(j).append(x[j]);
            int ua = (int) x[indexOf("ua_family")];
            family.append(ua >= 0 && ua < UA_FAMILIES.size() ? UA_FAMILIES.get(ua) : "?");
            label.append(k.equals("normal") ? "normal" : "anomalous");
            kind.append(k);
            score.append(Math.round(s * 10000) / 10000.0);
            flagged.append(f);
        }

        int indexOf(String name) {
            for (int j = 0; j < features.length; j++) if (features[j].equals(name)) return j;
            throw new IllegalStateException("no feature " + name);
        }

        Table table(String name) {
            Table t = Table.create(name, source, lineNo, time, ip, method, path, query, status, bytes, referrer, agent, family);
            values.forEach(t::addColumns);
            return t.addColumns(label, kind, score, flagged);
        }
    }
}
