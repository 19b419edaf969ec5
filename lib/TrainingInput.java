// TrainingInput.java -- reads training lines from files, globs and .gz archives, oldest first, within a time window.
package sentinel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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

    /** Reads every file in order; {@code exclude} (may be null) sees each parsed record in order and drops it when true. */
    public Data read(List<Path> files, Predicate<AccessRecord> exclude, boolean quiet) {
        AccessLogParser parser = this.parser.copy();
        List<AccessRecord> records = new ArrayList<>();
        Map<ParseResult.Reason, Long> malformed = new EnumMap<>(ParseResult.Reason.class);
        long lines = 0, outside = 0, excluded = 0;
        MessageDigest digest = sha256();
        long sinceSec = since == null ? Long.MIN_VALUE : since.getEpochSecond();
        long untilSec = until == null ? Long.MAX_VALUE : until.getEpochSecond();
        boolean window = since != null || until != null;
        List<String> names = new ArrayList<>();
        for (Path file : files) {
            names.add(file.getFileName().toString());
            try (InputStream raw = Files.newInputStream(file);
                 Progress progress = Progress.onStderr("reading " + file.getFileName(), Files.size(file), quiet)) {
                CountingInputStream counted = new CountingInputStream(new DigestInputStream(raw, digest));
                InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(counted, 1 << 16) : counted;
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE)), 1 << 16);
                for (String line; (line = reader.readLine()) != null; ) {
                    lines++;
                    if ((lines & 1023) == 0) progress.update(counted.count());
                    ParseResult pr = parser.parse(line);
                    if (pr instanceof ParseResult.Malformed m) {
                        malformed.merge(m.reason(), 1L, Long::sum);
                        continue;
                    }
                    AccessRecord r = ((ParseResult.Parsed) pr).record();
                    if (window && (r.epochSecond() < sinceSec || r.epochSecond() >= untilSec)) outside++;
                    else if (exclude != null && exclude.test(r)) excluded++;
                    else records.add(r);
                }
            } catch (NoSuchFileException e) {
                throw SentinelException.badInput("training file " + file + " does not exist");
            } catch (IOException e) {
                throw SentinelException.badInput("cannot read training file " + file + ": " + e.getMessage());
            }
        }
        return new Data(records, lines, malformed, outside, excluded, HexFormat.of().formatHex(digest.digest()), String.join(",", names));
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
