// AttackText.java -- counts the syntax attacks use in request text, without regexes or allocation.
package sentinel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scans request text for generic attack syntax, never for a tool's own strings: decodes %XX, '+' and nginx's
 * \xXX escapes once into a lower-cased scratch buffer, counting encodings, control bytes and special characters
 * as it goes, then counts SQL keywords and tautologies, script tags and handlers, shell, template and expression
 * syntax, traversal and embedded URLs in one pass over a table indexed by each needle's first two characters. No
 * regexes, and no allocation once the buffers have grown to the longest text seen. Results stay in the fields until
 * the next call. Not thread-safe.
 */
final class AttackText {
    private static final int SQL = 0, SCRIPT = 1, CODE = 2, TRAVERSAL = 3, URL = 4;
    private static final String[][] NEEDLES = {
        {"select", "union", "sleep(", "benchmark(", "information_schema", "' or", "\" or", " or ", " and ", "waitfor", "--",
            "/*", "concat(", "char(", "@@", "drop table", "xp_cmdshell", "order by", "'='"},
        {"<script", "javascript:", "vbscript:", "onerror", "onload", "onmouse", "onfocus", "alert(", "document.", "<svg",
            "<img", "<iframe", "<body", "<object", "eval(", "prompt("},
        {"${", "#{", "%{", "{{", "$(", "<?", "() {", "&&", "/etc/", "/bin/", "/proc/", "c:\\", "\\windows", "exec(", "system("},
        {".."},
        {"://", "=//"}};
    /** Needles by their first two characters (128 × first + second), each prefixed with its kind's digit. */
    private static final String[][] BY_PAIR = index();
    /** Characters that make header text worth decoding: controls, quotes, angle brackets, '$', '%', '`', braces, '|', '\'. */
    private static final long TRIGGER_LOW = (1L << 32) - 1 | 1L << '\'' | 1L << '"' | 1L << '<' | 1L << '>' | 1L << '$' | 1L << '%';
    private static final long TRIGGER_HIGH = 1L << ('`' - 64) | 1L << ('{' - 64) | 1L << ('}' - 64) | 1L << ('|' - 64)
            | 1L << ('\\' - 64) | 1L << (127 - 64);
    /** f·ln f for small counts, so entropy costs one logarithm per text. */
    private static final double[] F_LN_F = flnfTable(256);

    /** Raw characters scanned, and of them not letters or digits. */
    int length, nonAlnum;
    /** The path's depth (segments after a '/'), and the query's parameter count ('&' or ';' separated; 0 without a query). */
    int depth, params;
    /** Evidence found in the decoded text. */
    int special, percent, escaped, control, sql, script, code, traversal, urls;
    private double entropy;
    private int distinct, other;
    private final int[] freq = new int[128];
    private final char[] touched = new char[128];
    private char[] src = new char[256];
    private char[] buf = new char[256];

    /** Scans a request target: the path, then '?' and the query when there is one. */
    AttackText scan(String path, String query) {
        reset();
        int len = load(path);
        depth = 0;
        for (int k = 0; k + 1 < len; k++) if (src[k] == '/' && src[k + 1] != '/') depth++;
        int n = decode(len, 0, true);
        params = 0;
        if (!query.isEmpty()) {
            raw('?');
            buf[n++] = '?';
            len = load(query);
            params = 1;
            for (int k = 0; k < len; k++) if (src[k] == '&' || src[k] == ';') params++;
            n = decode(len, n, true);
        }
        tokens(n);
        measureEntropy();
        return this;
    }

    /**
     * How much attack syntax a header (referrer, user agent) holds: special characters, escapes, control bytes, script,
     * code and traversal tokens, not SQL words (a search engine's referrer may quote "this and that"). 0 at once for text
     * without any trigger character, as nearly every header is.
     */
    int marks(String header) {
        int len = load(header);
        if (!triggered(len)) return 0;
        reset();
        tokens(decode(len, 0, false));
        return special + escaped + control + script + code + traversal;
    }

    /** Shannon entropy, in bits per character, of the raw target last {@link #scan}ned. */
    double entropy() {
        return entropy;
    }

    /** Forgets the evidence of the last scan, keeping its shape (length, entropy, share of symbols). */
    void clearEvidence() {
        special = percent = escaped = control = sql = script = code = traversal = urls = 0;
    }

    private void reset() {
        length = nonAlnum = distinct = other = 0;
        clearEvidence();
    }

    /** Copies {@code s} into the source buffer (one bulk copy: the passes below then read an array); returns its length. */
    private int load(String s) {
        int len = s.length();
        if (src.length < len) src = new char[Math.max(2 * src.length, len)];
        s.getChars(0, len, src, 0);
        return len;
    }

    private boolean triggered(int len) {
        for (int k = 0; k < len; k++) {
            char c = src[k];
            if (c < 64 ? (TRIGGER_LOW >>> c & 1) != 0 : c < 128 && (TRIGGER_HIGH >>> (c - 64) & 1) != 0) return true;
        }
        return false;
    }

    /** Counts one character of the raw target, as the log shows it. */
    private void raw(char c) {
        length++;
        if (c < 128) {
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')) nonAlnum++;
            if (freq[c]++ == 0) touched[distinct++] = c;
        } else {
            if (!Character.isLetterOrDigit(c)) nonAlnum++;
            other++;
        }
    }

    /** Entropy of the raw characters counted since the last reset; clears their counts. */
    private void measureEntropy() {
        double sum = flnf(other);
        for (int k = 0; k < distinct; k++) {
            sum += flnf(freq[touched[k]]);
            freq[touched[k]] = 0;
        }
        // H = log2 n - (1/n) Σ f log2 f = (n ln n - Σ f ln f) / (n ln 2)
        entropy = length == 0 ? 0 : (flnf(length) - sum) / (length * Math.log(2));
    }

    /** Decodes the {@code len} source characters into buf from {@code n}, counting what it meets (and the raw characters if {@code raw}); returns the new end. */
    private int decode(int len, int n, boolean raw) {
        char[] s = src;
        if (buf.length < n + len + 1) buf = Arrays.copyOf(buf, Math.max(2 * buf.length, n + len + 1));
        if (raw) for (int k = 0; k < len; k++) raw(s[k]);
        for (int k = 0; k < len; k++) {
            char c = s[k];
            if (c == '%' && k + 2 < len && hex(s[k + 1]) >= 0 && hex(s[k + 2]) >= 0) {
                int v = hex(s[k + 1]) * 16 + hex(s[k + 2]);
                percent++;
                // %25 followed by hex is double encoding; %c0 and %c1 start overlong UTF-8, never valid
                if (v == 0xc0 || v == 0xc1 || (v == '%' && k + 4 < len && hex(s[k + 3]) >= 0 && hex(s[k + 4]) >= 0)) escaped++;
                c = (char) v;
                k += 2;
            } else if (c == '\\' && k + 3 < len && s[k + 1] == 'x' && hex(s[k + 2]) >= 0 && hex(s[k + 3]) >= 0) {
                // nginx logs a quote, a backslash, control and non-ASCII bytes as \xXX
                escaped++;
                c = (char) (hex(s[k + 2]) * 16 + hex(s[k + 3]));
                k += 3;
            } else if (c == '+') {
                c = ' ';
            }
            if (c < 0x20 || c == 0x7f) control++;
            else if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
            switch (c) {
                case '\'', '"', '<', '>', '`', '{', '}', '$', '|', '\\' -> special++;
                default -> { }
            }
            buf[n++] = c;
        }
        return n;
    }

    private void tokens(int n) {
        for (int p = 0; p < n; p++) {
            char c = buf[p];
            // a digit on both sides of '=' (9285=9285) is a tautology: keys are names, not numbers
            if (c == '=' && p > 0 && p + 1 < n && digit(buf[p - 1]) && digit(buf[p + 1])) sql++;
            char d = p + 1 < n ? buf[p + 1] : 0;
            String[] candidates = c < 128 && d < 128 ? BY_PAIR[c << 7 | d] : null;
            if (candidates == null) continue;
            for (String kn : candidates) {
                if (!matches(n, p, kn)) continue;
                switch (kn.charAt(0) - '0') {
                    case SQL -> sql++;
                    case SCRIPT -> script++;
                    case CODE -> code++;
                    case TRAVERSAL -> traversal++;
                    case URL -> urls++;
                    default -> throw new IllegalStateException(kn);
                }
            }
        }
    }

    /** Whether buf holds {@code kn}'s needle (its text after the kind digit) at {@code p}; two characters already matched. */
    private boolean matches(int n, int p, String kn) {
        int m = kn.length() - 1;
        if (p + m > n) return false;
        for (int j = 2; j < m; j++) if (buf[p + j] != kn.charAt(j + 1)) return false;
        return true;
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    private static double flnf(int f) {
        return f < F_LN_F.length ? F_LN_F[f] : f * Math.log(f);
    }

    private static double[] flnfTable(int size) {
        double[] t = new double[size];
        for (int f = 1; f < size; f++) t[f] = f * Math.log(f);
        return t;
    }

    private static String[][] index() {
        List<List<String>> by = new ArrayList<>();
        for (int c = 0; c < 128 * 128; c++) by.add(null);
        for (int kind = 0; kind < NEEDLES.length; kind++) {
            for (String s : NEEDLES[kind]) {
                int pair = s.charAt(0) << 7 | s.charAt(1);
                if (by.get(pair) == null) by.set(pair, new ArrayList<>());
                by.get(pair).add(kind + s);
            }
        }
        String[][] out = new String[128 * 128][];
        for (int c = 0; c < out.length; c++) if (by.get(c) != null) out[c] = by.get(c).toArray(String[]::new);
        return out;
    }
}
