// ModelFormat.java -- model file format 2: the sections of the body, their order, and the checks each value passes on load.
package sentinel;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes and reads the body of a model file (format 2; the text header and gzip are {@link ModelBundle}'s). Plain
 * values with explicit lengths, no Java serialization: a reader can only ever build the classes named here. Every
 * count is bounded by a limit and by the bytes left before anything is allocated, every value is checked, and any
 * problem is a {@link ModelInput.Corrupt}. The writer refuses a model over the same size limits rather than save a
 * file that would not load.
 *
 * <pre>
 * section     content, in order (varint = unsigned LEB128; svarint = zigzag varint; f64 = 8 bytes, big-endian IEEE 754;
 *             text = varint (0 = null, else UTF-8 bytes + 1), then the bytes)
 * schema      svarint version, varint hashBuckets, u8 flags (1 = user-agent features, 2 = behaviour features),
 *             varint n, n x text name
 * forest      varint features, varint sampleSize, 8-byte seed, varint trees;
 *             per tree: varint columns, that many varint feature indices; per tree: varint nodes;
 *             then every tree's nodes in preorder (node, low subtree, high subtree), each a varint tag and an f64:
 *             tag 0 = leaf with its path length, tag f + 1 = split "x[f] &lt; threshold" with its threshold
 * threshold   f64 cut, text rule, varint n, n x f64 quantile, f64 trainingAlertRate
 * stats       varint width, then width x f64 for each of low, mid, high, min, max
 * provenance  its record components in order: text for strings, svarint for numbers
 * profile     u8 present; if 1: varint lines, then per count table (paths, sections, targets, agents):
 *             varint non-zero cells, each a varint gap (index - previous index - 1) and a varint count
 * </pre>
 */
final class ModelFormat {
    static final int MAX_TREES = 10_000;
    static final int MAX_FEATURES = 100_000;
    static final int MAX_TEXT_BYTES = 1 << 20;
    static final int MAX_SAMPLE_SIZE = 1 << 28;
    /** All nodes of all trees: far beyond 10,000 trees of 256-row samples (5.1 million nodes). */
    static final int MAX_NODES = 1 << 24;
    static final int MAX_BODY_BYTES = 256 << 20;
    /** The fewest bytes a node takes: a one-byte tag and its 8-byte value. */
    private static final int NODE_BYTES = 9;
    private static final int USER_AGENT = 1, BEHAVIOUR = 2;

    private ModelFormat() {}

    /** Writes {@code b}'s body; a model beyond the format's limits is a SentinelException, never a file that cannot load. */
    static void write(ModelBundle b, OutputStream stream) throws IOException {
        ModelOutput out = new ModelOutput(stream);
        writeSchema(b.schema(), out);
        writeForest(b.forest(), out);
        Threshold t = b.threshold();
        if (t.quantiles().length != Threshold.QUANTILE_LEVELS.length) {
            throw new IllegalArgumentException("a threshold keeps " + Threshold.QUANTILE_LEVELS.length + " quantiles");
        }
        out.f64(t.cut());
        out.string(t.rule(), MAX_TEXT_BYTES);
        out.varLong(t.quantiles().length);
        out.f64(t.quantiles());
        out.f64(t.trainingAlertRate());
        ModelBundle.FeatureStats s = b.featureStats();
        limit("the feature statistics' width", s.low().length, MAX_FEATURES);
        out.varLong(s.low().length);
        for (double[] column : new double[][] {s.low(), s.mid(), s.high(), s.min(), s.max()}) {
            if (column.length != s.low().length) {
                throw new IllegalArgumentException("feature statistics of different widths");
            }
            out.f64(column);
        }
        writeProvenance(b.provenance(), out);
        writeProfile(b.profile(), out);
        limit("the model's body (bytes)", out.written(), MAX_BODY_BYTES);
    }

    /** Reads a body written by {@link #write}, leaving {@code in} after its last section. */
    static ModelBundle read(ModelInput in) throws ModelInput.Corrupt {
        FeatureSchema schema = readSchema(in);
        TrainedForest forest = readForest(in);
        double cut = in.f64("the threshold");
        if (Double.isNaN(cut)) {
            throw new ModelInput.Corrupt("the threshold: NaN");
        }
        String rule = in.string("the threshold's rule", MAX_TEXT_BYTES);
        in.varInt("the score quantiles", Threshold.QUANTILE_LEVELS.length, Threshold.QUANTILE_LEVELS.length);
        double[] quantiles = in.finite("a score quantile", Threshold.QUANTILE_LEVELS.length);
        double rate = in.f64("the training alert rate");
        if (!(rate >= 0 && rate <= 1)) {
            throw new ModelInput.Corrupt("the training alert rate: " + rate);
        }
        int width = in.count("the feature statistics' width", 0, MAX_FEATURES, 5 * 8);
        ModelBundle.FeatureStats stats = new ModelBundle.FeatureStats(in.finite("a feature statistic", width),
                in.finite("a feature statistic", width), in.finite("a feature statistic", width),
                in.finite("a feature statistic", width), in.finite("a feature statistic", width));
        ModelBundle.Provenance provenance = readProvenance(in);
        TrafficProfile profile = readProfile(in);
        return new ModelBundle(forest, schema, profile, new Threshold(cut, rule, quantiles, rate), stats, provenance);
    }

    /** Refuses to save what the reader would refuse to load. */
    static void limit(String what, long n, long max) {
        if (n > max) {
            throw SentinelException.badInput("cannot save the model: " + what + ": " + n + ", a model file holds at most " + max);
        }
    }

    private static void writeSchema(FeatureSchema s, ModelOutput out) throws IOException {
        out.signedLong(s.version());
        limit("the hash buckets", s.hashBuckets(), MAX_FEATURES);
        out.varLong(s.hashBuckets());
        out.u8((s.userAgentFeatures() ? USER_AGENT : 0) | (s.behaviourFeatures() ? BEHAVIOUR : 0));
        limit("the features", s.names().length, MAX_FEATURES);
        out.varLong(s.names().length);
        for (String name : s.names()) {
            out.string(name, MAX_TEXT_BYTES);
        }
    }

    private static FeatureSchema readSchema(ModelInput in) throws ModelInput.Corrupt {
        int version = in.signedInt("the schema version");
        int buckets = in.varInt("the hash buckets", 0, MAX_FEATURES);
        int flags = in.u8("the schema flags");
        if (flags > (USER_AGENT | BEHAVIOUR)) {
            throw new ModelInput.Corrupt("the schema flags: " + flags);
        }
        String[] names = new String[in.count("the feature names", 0, MAX_FEATURES, 1)];
        for (int j = 0; j < names.length; j++) {
            names[j] = in.text("a feature name", MAX_TEXT_BYTES);
        }
        return new FeatureSchema(version, names, buckets, (flags & USER_AGENT) != 0, (flags & BEHAVIOUR) != 0);
    }

    /** Most nodes a tree of {@code sampleSize}-row samples has: a full tree of ForestTrainer's height ceil(log2 n). */
    private static int maxNodes(int sampleSize) {
        int height = 32 - Integer.numberOfLeadingZeros(sampleSize - 1);
        return (int) Math.min((2L << height) - 1, MAX_NODES);
    }

    private static void writeForest(TrainedForest f, ModelOutput out) throws IOException {
        limit("the forest's width", f.features(), MAX_FEATURES);
        limit("the sample size", f.sampleSize(), MAX_SAMPLE_SIZE);
        limit("the trees", f.trees(), MAX_TREES);
        limit("the nodes", f.nodeFeatures().length, MAX_NODES);
        out.varLong(f.features());
        out.varLong(f.sampleSize());
        out.fixed64(f.seed());
        out.varLong(f.trees());
        for (int[] cols : f.columns()) {
            out.varLong(cols.length);
            for (int c : cols) {
                out.varLong(c);
            }
        }
        int[] starts = f.starts();
        for (int k = 0; k < f.trees(); k++) {
            limit("the nodes of a tree", starts[k + 1] - starts[k], maxNodes(f.sampleSize()));
            out.varLong(starts[k + 1] - starts[k]);
        }
        int[] features = f.nodeFeatures();
        double[] values = f.nodeValues();
        for (int n = 0; n < features.length; n++) {
            out.varLong(features[n] + 1L);
            out.f64(values[n]);
        }
    }

    private static TrainedForest readForest(ModelInput in) throws ModelInput.Corrupt {
        int features = in.varInt("the forest's width", 1, MAX_FEATURES);
        int sampleSize = in.varInt("the sample size", 2, MAX_SAMPLE_SIZE);
        long seed = in.fixed64("the seed");
        int trees = in.count("the trees", 1, MAX_TREES, 2 + NODE_BYTES);
        int[][] columns = new int[trees][];
        for (int k = 0; k < trees; k++) {
            columns[k] = new int[in.count("a tree's columns", 0, features, 1)];
            for (int i = 0; i < columns[k].length; i++) {
                columns[k][i] = in.varInt("a tree's column", 0, features - 1);
            }
        }
        int[] starts = new int[trees + 1];
        int perTree = maxNodes(sampleSize);
        for (int k = 0; k < trees; k++) {
            starts[k + 1] = starts[k] + in.varInt("a tree's nodes", 1, perTree);
            if (starts[k + 1] > MAX_NODES || (long) starts[k + 1] * NODE_BYTES > in.remaining()) {
                throw new ModelInput.Corrupt("the trees' nodes: over " + starts[k + 1] + ", more than the limit of " + MAX_NODES
                        + " or the " + in.remaining() + " bytes left can hold");
            }
        }
        int[] nodeFeatures = new int[starts[trees]];
        double[] nodeValues = new double[nodeFeatures.length];
        in.nodes(nodeFeatures, nodeValues, features);
        for (int n = 0; n < nodeFeatures.length; n++) {
            nodeFeatures[n]--; // tag 0 is a leaf (-1), tag f + 1 a split on feature f
        }
        try {
            return new TrainedForest(features, sampleSize, seed, columns, starts, nodeFeatures, nodeValues, null);
        } catch (SentinelException e) {
            throw new ModelInput.Corrupt(e.getMessage());
        }
    }

    private static void writeProvenance(ModelBundle.Provenance p, ModelOutput out) throws IOException {
        out.string(p.trainFiles(), MAX_TEXT_BYTES);
        out.string(p.trainingSha256(), MAX_TEXT_BYTES);
        out.signedLong(p.linesRead());
        out.signedLong(p.linesParsed());
        out.signedLong(p.linesMalformed());
        out.signedLong(p.rows());
        out.signedLong(p.trees());
        out.signedLong(p.sampleSize());
        out.signedLong(p.seed());
        for (String s : new String[] {p.contamination(), p.logFormat(), p.createdAt(), p.sentinelVersion(), p.smileVersion(),
                p.javaVersion()}) {
            out.string(s, MAX_TEXT_BYTES);
        }
        out.signedLong(p.trainingMillis());
    }

    private static ModelBundle.Provenance readProvenance(ModelInput in) throws ModelInput.Corrupt {
        String what = "the provenance";
        return new ModelBundle.Provenance(in.string(what, MAX_TEXT_BYTES), in.string(what, MAX_TEXT_BYTES),
                in.signedLong(what), in.signedLong(what), in.signedLong(what), in.signedInt(what), in.signedInt(what),
                in.signedInt(what), in.signedLong(what), in.string(what, MAX_TEXT_BYTES), in.string(what, MAX_TEXT_BYTES),
                in.string(what, MAX_TEXT_BYTES), in.string(what, MAX_TEXT_BYTES), in.string(what, MAX_TEXT_BYTES),
                in.string(what, MAX_TEXT_BYTES), in.signedLong(what));
    }

    /** Count-min tables are mostly zeros (10 MiB of them): only the non-zero cells are stored, as gaps and counts. */
    private static void writeProfile(TrafficProfile p, ModelOutput out) throws IOException {
        out.bool(p != null);
        if (p == null) {
            return;
        }
        out.varLong(p.lines());
        for (TrafficProfile.Counts counts : p.tables()) {
            int[] table = counts.toArray();
            int cells = 0;
            for (int v : table) {
                if (v != 0) cells++;
            }
            out.varLong(cells);
            int last = -1;
            for (int i = 0; i < table.length; i++) {
                if (table[i] != 0) {
                    out.varLong(i - last - 1);
                    out.varLong(table[i]);
                    last = i;
                }
            }
        }
    }

    private static TrafficProfile readProfile(ModelInput in) throws ModelInput.Corrupt {
        if (!in.bool("the profile flag")) {
            return null;
        }
        long lines = in.varLong("the profile's lines");
        if (lines < 0) {
            throw new ModelInput.Corrupt("the profile's lines: over 2^63");
        }
        // conservative update raises a cell at most once per line, so no count exceeds the lines
        int maxCount = (int) Math.min(lines, Integer.MAX_VALUE);
        int[] lengths = TrafficProfile.tableLengths();
        TrafficProfile.Counts[] tables = new TrafficProfile.Counts[lengths.length];
        for (int t = 0; t < lengths.length; t++) {
            int cells = in.count("a count table's cells", 0, lengths[t], 2);
            int[] indices = new int[cells];
            int[] values = new int[cells];
            int at = -1;
            for (int i = 0; i < cells; i++) {
                long gap = in.varLong("a count-min cell");
                if (gap < 0 || gap >= lengths[t] - 1 - at) {
                    throw new ModelInput.Corrupt("a count-min cell: past its table of " + lengths[t]);
                }
                at += (int) gap + 1;
                indices[i] = at;
                values[i] = in.varInt("a count-min cell", 1, maxCount);
            }
            tables[t] = TrafficProfile.Counts.of(lengths[t], indices, values, cells);
        }
        return new TrafficProfile(lines, tables);
    }
}
