// TrainingInput.java -- reads training lines from files, globs and .gz archives, oldest first, within a time window.
package sentinel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * The lines a model is trained on: one or more files or globs ({@code logs/access.log*}), gzip-compressed
 * ones too, read oldest first (by modification time, as logrotate leaves them) so per-client windows see
 * time in order. Lines outside [{@code since}, {@code until}) and lines {@code exclude} rejects are counted, not used.
 */
public final class TrainingInput {

    /** What was read: the usable records in order, and counts of everything that was not used. */
    public record Data(List<AccessRecord> records, long lines, Map<ParseResult.Reason, Long> malformed, long outsideWindow,
                       long excluded, String sha256, String names) {}

    private final AccessLogParser parser;
    private final Instant since;
    private final Instant until;

    /** {@code since}/{@code until} may be null (no bound). */
    public TrainingInput(LogFormat format, Instant since, Instant until) {
        this(new AccessLogParser(format), since, until);
    }

    /** Reads lines with (a copy of) {@code parser}; {@code since}/{@code until} may be null (no bound). */
    public TrainingInput(AccessLogParser parser, Instant since, Instant until) {
        this.parser = parser;
        this.since = since;
        this.until = until;
    }

    /** Expands globs in the last path segment; a pattern matching nothing is a SentinelException (exit 2). */
    public static List<Path> expand(List<String> patterns, Path base) {
        List<Path> out = new ArrayList<>();
        for (String p : patterns) {
            Path path = base.resolve(p).normalize();
            String name = path.getFileName() == null ? "" : path.getFileName().toString();
            if (!name.contains("*") && !name.contains("?") && !name.contains("[") && !name.contains("{")) {
                out.add(path);
                continue;
            }
            List<Path> matched = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(path.getParent(), name)) {
                for (Path m : ds) if (Files.isRegularFile(m)) matched.add(m);
            } catch (IOException e) {
                throw SentinelException.badInput("cannot list " + path.getParent() + ": " + e.getMessage());
            }
            if (matched.isEmpty()) throw SentinelException.badInput("no training file matches " + p);
            matched.sort(Comparator.comparing(TrainingInput::modified).thenComparing(Comparator.reverseOrder()));
            out.addAll(matched);
        }
        return out;
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Reads every file in order; {@code exclude} (may be null) sees each parsed record in order and drops it when true.
     * This thread reads and cuts lines as the tailer does ({@link LineSplitter}: bytes that are not UTF-8 become
     * U+FFFD, a trailing CR goes); chunks of lines are parsed on one thread per core; records keep the files' order.
     */
    public Data read(List<Path> files, Predicate<AccessRecord> exclude, boolean quiet) {
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
            Thread t = new Thread(r, "sentinel-training-parse");
            t.setDaemon(true);
            return t;
        });
        try {
            Collector collected = new Collector(exclude, pool);
            MessageDigest digest = sha256();
            List<String> names = new ArrayList<>();
            for (Path file : files) {
                names.add(file.getFileName().toString());
                readFile(file, digest, collected, quiet);
            }
            collected.drain(0);
            return new Data(collected.records, collected.lines, collected.malformed, collected.outside, collected.excluded,
                    HexFormat.of().formatHex(digest.digest()), String.join(",", names));
        } finally {
            pool.shutdownNow();
        }
    }

    private static void readFile(Path file, MessageDigest digest, Collector collected, boolean quiet) {
        try (InputStream raw = Files.newInputStream(file);
             Progress progress = Progress.onStderr("reading " + file.getFileName(), Files.size(file), quiet)) {
            CountingInputStream counted = new CountingInputStream(new DigestInputStream(raw, digest));
            InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(counted, 1 << 16) : counted;
            // far above the parser's own limit, so an over-long line is still one TOO_LONG line, held in bounded memory
            LineSplitter splitter = new LineSplitter(4 * AccessLogParser.DEFAULT_MAX_LINE_CHARS);
            List<List<String>> chunk = new ArrayList<>(List.of(new ArrayList<>(CHUNK)));
            LineSplitter.Handler take = (text, start, end) -> {
                chunk.get(0).add(text);
                if (chunk.get(0).size() == CHUNK) {
                    collected.submit(chunk.get(0));
                    chunk.set(0, new ArrayList<>(CHUNK));
                }
                return true;
            };
            while (splitter.read(in) >= 0) {
                splitter.drain(take);
                progress.update(counted.count());
            }
            splitter.flushPartial(take);
            if (!chunk.get(0).isEmpty()) collected.submit(chunk.get(0));
        } catch (NoSuchFileException e) {
            throw SentinelException.badInput("training file " + file + " does not exist");
        } catch (IOException e) {
            throw SentinelException.badInput("cannot read training file " + file + ": " + e.getMessage());
        } catch (SentinelException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("reading " + file + " failed", e);
        }
    }

    /** Lines per parsing task: enough to amortise the hand-over, few enough to keep both cores busy on small files. */
    private static final int CHUNK = 2048;
    /** Chunks parsed ahead of the in-order collection; bounds the lines waiting in memory. */
    private static final int AHEAD = 8;

    /** Parses chunks on the pool and takes their results in order: window, exclusion, counts. */
    private final class Collector {
        private final Predicate<AccessRecord> exclude;
        private final ExecutorService pool;
        private final java.util.ArrayDeque<java.util.concurrent.Future<ParseResult[]>> pending = new java.util.ArrayDeque<>();
        private final long sinceSec = since == null ? Long.MIN_VALUE : since.getEpochSecond();
        private final long untilSec = until == null ? Long.MAX_VALUE : until.getEpochSecond();
        private final boolean window = since != null || until != null;
        final List<AccessRecord> records = new ArrayList<>();
        final Map<ParseResult.Reason, Long> malformed = new EnumMap<>(ParseResult.Reason.class);
        long lines, outside, excluded;

        Collector(Predicate<AccessRecord> exclude, ExecutorService pool) {
            this.exclude = exclude;
            this.pool = pool;
        }

        void submit(List<String> chunk) {
            pending.add(pool.submit(() -> {
                AccessLogParser own = parser.copy(); // its timestamp cache is not thread-safe
                ParseResult[] out = new ParseResult[chunk.size()];
                for (int i = 0; i < out.length; i++) out[i] = own.parse(chunk.get(i));
                return out;
            }));
            drain(AHEAD);
        }

        /** Takes finished chunks, oldest first, until at most {@code keep} are still pending. */
        void drain(int keep) {
            while (pending.size() > keep) {
                ParseResult[] chunk;
                try {
                    chunk = pending.poll().get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw SentinelException.failure("interrupted while reading the training data", e);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("parsing training lines failed", e.getCause());
                }
                for (ParseResult pr : chunk) take(pr);
            }
        }

        private void take(ParseResult pr) {
            lines++;
            if (pr instanceof ParseResult.Malformed m) {
                malformed.merge(m.reason(), 1L, Long::sum);
                return;
            }
            AccessRecord r = ((ParseResult.Parsed) pr).record();
            if (window && (r.epochSecond() < sinceSec || r.epochSecond() >= untilSec)) outside++;
            else if (exclude != null && exclude.test(r)) excluded++;
            else records.add(r);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts bytes read, for progress. */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }
    }
}
