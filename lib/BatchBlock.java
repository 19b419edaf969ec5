// BatchBlock.java -- one block of consecutive lines moving through the BatchPipeline's stages.
package sentinel;

/**
 * Consecutive lines and what each stage of {@link BatchPipeline} made of them; parsed lines' features are at the
 * front of {@code features}, in order. The pipeline runs the stages in
 * order ({@link #parse}, {@link #featurize}, {@link #judge}, {@link #emit}), each completing before the next
 * starts, so the block needs no locks; only featurize and emit must also wait for the block before.
 */
final class BatchBlock {
    private final String[] lines;
    private final String[] positions;
    private final AccessLogParser parser;
    private final AccessRecord[] records;
    private final ParseResult.Malformed[] malformed;
    private final double[][] features;
    private final long[] pending;
    private final Verdict[] verdicts;
    private long firstLineNo;
    private int size;
    private int parsed;
    private BatchBuffer rendered;

    BatchBlock(int capacity, AccessLogParser parser) {
        this.lines = new String[capacity];
        this.positions = new String[capacity];
        this.parser = parser;
        this.records = new AccessRecord[capacity];
        this.malformed = new ParseResult.Malformed[capacity];
        this.features = new double[capacity][];
        this.pending = new long[capacity];
        this.verdicts = new Verdict[capacity];
    }

    void add(String line, String position, long lineNo) {
        if (size == 0) firstLineNo = lineNo;
        lines[size] = line;
        positions[size++] = position;
    }

    int size() {
        return size;
    }

    /** Any thread, with a featurizer of its own: parses, and computes every feature but the client window's. */
    void parse(Featurizer worker, int width) {
        for (int i = 0; i < size; i++) {
            ParseResult pr = parser.parse(lines[i]);
            if (pr instanceof ParseResult.Parsed p) {
                records[i] = p.record();
                double[] x = new double[width];
                pending[parsed] = worker.perLine(p.record(), x, false);
                features[parsed++] = x;
            } else {
                malformed[i] = (ParseResult.Malformed) pr;
            }
        }
    }

    /** In log order, after the block before: the client window's features. */
    void featurize(Detector detector) {
        for (int i = 0, row = 0; i < size; i++) {
            if (records[i] != null) detector.perClient(records[i], pending[row], features[row++]);
        }
    }

    /** Any thread: scores the parsed lines as one batch, makes every verdict and renders them. */
    void judge(Detector detector, boolean exactScores, VerdictPrinter template) {
        double[] scores = new double[parsed];
        Threshold threshold = detector.bundle().threshold();
        detector.scorer().score(features, 0, parsed, scores, exactScores ? Double.NaN : threshold.cut());
        // the block's anomalies are explained together, tree by tree (see ForestScorer.pathDepthContributions)
        int[] anomalies = new int[parsed];
        int count = 0;
        for (int row = 0; row < parsed; row++) {
            scores[row] = detector.guarded(features[row], scores[row]);
            if (threshold.isAnomaly(scores[row])) anomalies[count++] = row;
        }
        double[][] attributions = detector.scorer().pathDepthContributions(features, anomalies, count);
        for (int i = 0, row = 0, next = 0; i < size; i++) {
            long lineNo = firstLineNo + i;
            if (records[i] == null) {
                verdicts[i] = detector.unparsed(lineNo, lines[i], malformed[i], positions[i]);
                continue;
            }
            double[] attribution = next < count && anomalies[next] == row ? attributions[next++] : null;
            verdicts[i] = detector.verdict(lineNo, lines[i], records[i], features[row], scores[row], positions[i], attribution);
            row++;
        }
        rendered = new BatchBuffer(size * 256);
        VerdictPrinter printer = template.sibling(rendered);
        String[] names = detector.bundle().schema().names();
        for (int i = 0; i < size; i++) {
            printer.print(verdicts[i], names);
        }
        printer.flush();
    }

    /** In log order, after the block before. */
    void emit(BatchPipeline.Emitter emitter) {
        emitter.emit(verdicts, size, rendered);
    }
}
