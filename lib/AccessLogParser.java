// AccessLogParser.java -- turns one access-log line into a ParseResult: a hand scanner for combined, common and seed; JSON and custom patterns delegated.
package sentinel;

import java.nio.charset.StandardCharsets;

import java.time.LocalDate;
import java.time.Month;
import java.time.Year;
import java.util.Objects;
import sentinel.ParseResult.Malformed;
import sentinel.ParseResult.Parsed;
import sentinel.ParseResult.Reason;

/**
 * Parses nginx/Apache {@code combined} and {@code common} lines and the course's {@code seed} form into records.
 *
 * <p>Thread-safe (the one-entry timestamp cache is an immutable holder in a volatile field), no regex, few
 * allocations; {@link #parse} never throws and never returns null. Decisions worth knowing:
 * <ul>
 * <li>Quoted fields keep their escapes ({@code \"} from Apache, {@code \x22} from nginx): unescaping attacker
 *     text could smuggle control characters into terminals and alerts.</li>
 * <li>A request whose first token is not an HTTP token (nginx logs TLS handshakes as {@code "\x16\x03\x01..."})
 *     is Parsed with that token as {@code method} and empty path, query and protocol, so the detector can score
 *     it; BAD_REQUEST is never returned. A {@code "-"} or {@code ""} request is Parsed with all request fields "".</li>
 * <li>Targets may hold spaces (nginx logs them raw): method is the first token, protocol the last one when it
 *     starts with {@code HTTP/}, the target is what lies between.</li>
 * <li>The time text is kept whatever its shape; {@code epochSecond} is -1 unless it is a valid {@code dd/MMM/yyyy},
 *     {@code dd/MMM/yyyy:HH:mm:ss} (UTC) or {@code dd/MMM/yyyy:HH:mm:ss +zzzz} at or after 1970.</li>
 * <li>Formats differ in what follows the bytes: COMBINED needs quoted referrer and user agent (later fields are
 *     ignored), COMMON and SEED need nothing more, AUTO takes both; otherwise PATTERN_MISMATCH.</li>
 * <li>Trailing CR/LF is dropped; other C0/C1 controls (bar tab) and DEL make a line BINARY; other non-ASCII text,
 *     U+FFFD from undecodable bytes included, is kept.</li>
 * </ul>
 */
public final class AccessLogParser {
    /** Lines longer than this (in chars) are TOO_LONG unless the two-argument constructor says otherwise. */
    public static final int DEFAULT_MAX_LINE_CHARS = 65_536;
    private static final int EXCERPT_CHARS = 80;
    private static final int MAX_HOST_CHARS = 255;
    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";
    // Never written after class init; they let common values share one String instead of a fresh substring.
    private static final String[] KNOWN_METHODS = {"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH"};
    private static final String[] KNOWN_PROTOCOLS = {"HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/2"};

    private final LogFormat format;
    private final LogPattern pattern;
    private final NginxJsonParser json = new NginxJsonParser();
    private final int maxLineChars;
    /** Last timestamp parsed; the same second repeats across many lines, so this spares most date parsing. */
    private volatile Stamp lastStamp = new Stamp("", -1);

    private record Stamp(String text, long epochSecond) {}

    /** A parser for {@code format} with the default line limit of {@value #DEFAULT_MAX_LINE_CHARS} chars. */
    public AccessLogParser(LogFormat format) {
        this(format, DEFAULT_MAX_LINE_CHARS);
    }

    /** A parser for {@code format} that rejects lines longer than {@code maxLineChars} as TOO_LONG. */
    public AccessLogParser(LogFormat format, int maxLineChars) {
        this(format, null, maxLineChars);
    }

    /** A parser for {@code format}; {@code pattern} is required for CUSTOM and must be null for the others. */
    public AccessLogParser(LogFormat format, LogPattern pattern, int maxLineChars) {
        this.format = Objects.requireNonNull(format, "format");
        if (maxLineChars < 1) throw new IllegalArgumentException("maxLineChars must be positive: " + maxLineChars);
        if ((format == LogFormat.CUSTOM) != (pattern != null)) {
            throw new IllegalArgumentException("a log pattern goes with log_format custom, and only with it");
        }
        this.pattern = pattern;
        this.maxLineChars = maxLineChars;
    }

    public LogFormat format() {
        return format;
    }

    /** The custom format's pattern, or null. */
    public LogPattern pattern() {
        return pattern;
    }

    /** A new parser with the same settings (and its own timestamp cache). */
    public AccessLogParser copy() {
        return new AccessLogParser(format, pattern, maxLineChars);
    }

    /** Parses one line (without or with its line terminator); never throws, never returns null. */
    public ParseResult parse(String line) {
        try {
            return parseUnchecked(line);
        } catch (RuntimeException e) {
            // A scanner bug must cost one line, not the whole stream; the fuzz tests call parseUnchecked to find them.
            return malformed(Reason.PATTERN_MISMATCH, line);
        }
    }

    /** {@link #parse} without the safety net, so tests see any exception the scanner throws. */
    ParseResult parseUnchecked(String line) {
        if (line == null) return new Malformed(Reason.EMPTY, "");
        int n = line.length();
        while (n > 0 && (line.charAt(n - 1) == '\n' || line.charAt(n - 1) == '\r')) n--;
        if (n > maxLineChars) return malformed(Reason.TOO_LONG, line);
        if (n < line.length()) line = line.substring(0, n);
        Reason bad = screen(line);
        if (bad != null) return malformed(bad, line);
        if (format == LogFormat.CUSTOM) return pattern.parse(line);
        if (format == LogFormat.NGINX_JSON || (format == LogFormat.AUTO && line.charAt(0) == '{')) return json.parse(line);
        int ipEnd = line.indexOf(' ');
        if (ipEnd < 0) ipEnd = n;
        if (!isHost(line, ipEnd)) return malformed(Reason.NO_IP, line);
        int lb = timeStart(line, ipEnd);
        if (lb < 0) return malformed(Reason.NO_TIME, line);
        int rb = line.indexOf(']', lb + 1);
        if (rb < 0) return malformed(Reason.TRUNCATED, line);
        int rq = skipSpaces(line, rb + 1);
        if (rq >= n || line.charAt(rq) != '"') return malformed(Reason.NO_REQUEST, line);
        int rqEnd = closingQuote(line, rq + 1);
        if (rqEnd < 0) return malformed(Reason.TRUNCATED, line);
        int st = skipSpaces(line, rqEnd + 1);
        if (st >= n) return malformed(Reason.NO_STATUS, line);
        int stEnd = tokenEnd(line, st);
        int status = stEnd - st == 3 ? (int) digits(line, st, 3) : -1;
        if (status < 0) return malformed(Reason.BAD_STATUS, line);
        int by = skipSpaces(line, stEnd);
        int byEnd = tokenEnd(line, by);
        long bytes = bytes(line, by, byEnd);
        if (bytes < 0) return malformed(Reason.BAD_BYTES, line);
        return tail(line, skipSpaces(line, byEnd), ipEnd, stamp(line, lb + 1, rb), rq + 1, rqEnd, status, bytes);
    }

    /** Reads the optional referrer and user agent, checks the format, and builds the record. */
    private ParseResult tail(String line, int at, int ipEnd, Stamp stamp, int rqFrom, int rqTo, int status,
                             long bytes) {
        String referrer = "";
        String userAgent = "";
        boolean combined = at < line.length();
        if (combined) {
            if (line.charAt(at) != '"') return malformed(Reason.PATTERN_MISMATCH, line);
            int refEnd = closingQuote(line, at + 1);
            if (refEnd < 0) return malformed(Reason.TRUNCATED, line);
            int ua = skipSpaces(line, refEnd + 1);
            if (ua >= line.length() || line.charAt(ua) != '"') return malformed(Reason.PATTERN_MISMATCH, line);
            int uaEnd = closingQuote(line, ua + 1);
            if (uaEnd < 0) return malformed(Reason.TRUNCATED, line);
            referrer = dashless(line, at + 1, refEnd);
            userAgent = dashless(line, ua + 1, uaEnd);
        }
        boolean fits = switch (format) {
            case AUTO -> true;
            case COMBINED -> combined;
            case COMMON, SEED -> !combined;
            case NGINX_JSON, CUSTOM -> false; // never scanned here
        };
        if (!fits) return malformed(Reason.PATTERN_MISMATCH, line);
        return new Parsed(toRecord(line, ipEnd, stamp, rqFrom, rqTo, status, bytes, referrer, userAgent));
    }

    /** Splits the request (between its quotes, escapes kept) into method, path, query and protocol. */
    private static AccessRecord toRecord(String line, int ipEnd, Stamp stamp, int from, int to,
                                         int status, long bytes, String referrer, String userAgent) {
        String method = "";
        String path = "";
        String query = "";
        String protocol = "";
        boolean empty = from == to || (to - from == 1 && line.charAt(from) == '-');
        if (!empty) {
            int sp = indexOf(line, ' ', from, to);
            int methodEnd = sp < 0 ? to : sp;
            method = known(line, from, methodEnd, KNOWN_METHODS);
            if (sp >= 0 && isToken(line, from, methodEnd)) {
                int targetEnd = to;
                int last = line.lastIndexOf(' ', to - 1);
                if (last > sp && line.startsWith("HTTP/", last + 1)) {
                    protocol = known(line, last + 1, to, KNOWN_PROTOCOLS);
                    targetEnd = last;
                }
                int qm = indexOf(line, '?', sp + 1, targetEnd);
                path = line.substring(sp + 1, qm < 0 ? targetEnd : qm);
                query = qm < 0 ? "" : line.substring(qm + 1, targetEnd);
            }
        }
        return new AccessRecord(line.substring(0, ipEnd), stamp.epochSecond(), stamp.text(), method, path, query,
                protocol, status, bytes, referrer, userAgent, line);
    }

    /** EMPTY for blank lines, BINARY for control characters (bar tab), else null. */
    private static Reason screen(String line) {
        // Latin-1 bytes hold every character below 0x100 as it is (others become '?', which is fine here), so
        // a line of printable ASCII, nearly every line, is cleared eight bytes at a time
        byte[] latin1 = line.getBytes(StandardCharsets.ISO_8859_1);
        if (Printable.printableAscii(latin1, 0, latin1.length)) return latin1.length == 0 || line.isBlank() ? Reason.EMPTY : null;
        for (int i = 0, n = line.length(); i < n; i++) {
            char c = line.charAt(i);
            if ((c < 0x20 && c != '\t') || (c >= 0x7f && c < 0xa0)) {
                return line.isBlank() ? Reason.EMPTY : Reason.BINARY;
            }
        }
        return line.isBlank() ? Reason.EMPTY : null;
    }

    /** True for an IPv4/IPv6 address (with optional %zone) or a host name: letters, digits and {@code .:-_%}. */
    static boolean isHost(String line, int end) {
        if (end == 0 || end > MAX_HOST_CHARS) return false;
        for (int i = 0; i < end; i++) {
            char c = line.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || c == '.' || c == ':' || c == '-' || c == '_' || c == '%';
            if (!ok) return false;
        }
        return true;
    }

    /** Index of the '[' opening the time, looking only before the request's quote; -1 if none. */
    private static int timeStart(String line, int from) {
        for (int i = from, n = line.length(); i < n; i++) {
            char c = line.charAt(i);
            if (c == '[') return i;
            if (c == '"') return -1;
        }
        return -1;
    }

    /** Index of the quote closing the field starting at {@code from}: the first '"' after an even run of '\\'. */
    private static int closingQuote(String line, int from) {
        for (int i = from; ; ) {
            int q = line.indexOf('"', i); // intrinsic (vectorised) search; far faster than a charAt loop
            if (q < 0) return -1;
            int b = q - 1;
            while (b >= from && line.charAt(b) == '\\') b--;
            if (((q - 1 - b) & 1) == 0) return q;
            i = q + 1;
        }
    }

    private static int skipSpaces(String line, int i) {
        while (i < line.length() && line.charAt(i) == ' ') i++;
        return i;
    }

    private static int tokenEnd(String line, int i) {
        while (i < line.length() && line.charAt(i) != ' ') i++;
        return i;
    }

    /** Bounded search: String.indexOf(c, from) would run on through the referrer and user agent. */
    private static int indexOf(String line, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (line.charAt(i) == c) return i;
        }
        return -1;
    }

    /** Response bytes: 0 for "-", the number for 1..18 digits (so no overflow), else -1. */
    private static long bytes(String line, int from, int to) {
        if (to - from == 1 && line.charAt(from) == '-') return 0;
        return to == from || to - from > 18 ? -1 : digits(line, from, to - from);
    }

    /** RFC 9110 token characters: what a real HTTP method is made of. */
    private static boolean isToken(String line, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = line.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || (c < 0x7f && "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
            if (!ok) return false;
        }
        return to > from;
    }

    /** The field text, with a lone "-" (the log's "absent") as "". */
    private static String dashless(String line, int from, int to) {
        if (to - from == 1 && line.charAt(from) == '-') return "";
        return line.substring(from, to);
    }

    /** A shared constant when the region equals one of {@code known}, else a substring. */
    private static String known(String line, int from, int to, String[] known) {
        int len = to - from;
        for (String k : known) {
            if (k.length() == len && line.startsWith(k, from)) return k;
        }
        return line.substring(from, to);
    }

    /** The timestamp for line[from, to), from the one-entry cache when it is the same text as last time. */
    private Stamp stamp(String line, int from, int to) {
        Stamp last = lastStamp;
        int len = to - from;
        if (last.text().length() == len && line.regionMatches(from, last.text(), 0, len)) return last;
        String text = line.substring(from, to);
        Stamp fresh = new Stamp(text, epochSecond(text));
        lastStamp = fresh;
        return fresh;
    }

    /** UTC epoch seconds for {@code dd/MMM/yyyy[:HH:mm:ss[ +zzzz]]}, or -1 when it is anything else. */
    static long epochSecond(String t) {
        int len = t.length();
        if (len != 11 && len != 20 && len != 26) return -1;
        if (t.charAt(2) != '/' || t.charAt(6) != '/') return -1;
        int day = (int) digits(t, 0, 2);
        int month = MONTHS.indexOf(t.substring(3, 6));
        int year = (int) digits(t, 7, 4);
        if (month < 0 || month % 3 != 0 || year < 1970 || day < 1) return -1;
        Month mon = Month.of(month / 3 + 1);
        if (day > mon.length(Year.isLeap(year))) return -1;
        long secs = LocalDate.of(year, mon, day).toEpochDay() * 86_400L;
        if (len == 11) return secs;
        if (t.charAt(11) != ':' || t.charAt(14) != ':' || t.charAt(17) != ':') return -1;
        long h = digits(t, 12, 2);
        long m = digits(t, 15, 2);
        long s = digits(t, 18, 2);
        if (h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 60) return -1;
        secs += h * 3600 + m * 60 + s;
        if (len == 20) return secs;
        char sign = t.charAt(21);
        long oh = digits(t, 22, 2);
        long om = digits(t, 24, 2);
        if (t.charAt(20) != ' ' || (sign != '+' && sign != '-') || oh < 0 || oh > 18 || om < 0 || om > 59) return -1;
        long offset = oh * 3600 + om * 60;
        long utc = sign == '+' ? secs - offset : secs + offset;
        return utc < 0 ? -1 : utc;
    }

    /** The number in {@code count} (at most 18) ASCII digits at {@code from}, or -1. */
    private static long digits(String t, int from, int count) {
        long v = 0;
        for (int i = from; i < from + count; i++) {
            int d = t.charAt(i) - '0';
            if (d < 0 || d > 9) return -1;
            v = v * 10 + d;
        }
        return v;
    }

    /** A Malformed with at most {@value #EXCERPT_CHARS} printable-ASCII chars of the line; the rest become '?'. */
    static Malformed malformed(Reason reason, String line) {
        if (line == null) return new Malformed(reason, "");
        boolean cut = line.length() > EXCERPT_CHARS;
        int keep = cut ? EXCERPT_CHARS - 3 : line.length();
        StringBuilder sb = new StringBuilder(EXCERPT_CHARS);
        for (int i = 0; i < keep; i++) {
            char c = line.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (cut) sb.append("...");
        return new Malformed(reason, sb.toString());
    }
}
