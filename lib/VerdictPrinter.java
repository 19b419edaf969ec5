// VerdictPrinter.java -- writes verdicts to stdout as the course's OK / 🚨 lines or as JSON Lines.
//DEPS com.fasterxml.jackson.core:jackson-core:2.20.1
package sentinel;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Renders verdicts. Text mode prints {@code OK: <line>}, {@code 🚨 Anomaly Detected: <line>} (plus a compact
 * "why" after the line) or {@code Unparsed (REASON): <line>}, with log text escaped so it cannot drive the
 * terminal; JSON mode prints one object per line. Not thread-safe.
 */
public final class VerdictPrinter implements AutoCloseable {
    /** "0.0" to "1023.0": most features are small counts. Never written after class init. */
    private static final String[] WHOLE = java.util.stream.IntStream.range(0, 1024).mapToObj(i -> i + ".0").toArray(String[]::new);
    private static final byte[] OK_PREFIX = "OK: ".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ANOMALY_PREFIX = "🚨 Anomaly Detected: ".getBytes(StandardCharsets.UTF_8);
    private static final byte[] WHY_ARROW = "  ⟵ ".getBytes(StandardCharsets.UTF_8);
    private static final byte[] EN_DASH = "–".getBytes(StandardCharsets.UTF_8);
    private static final String RED = "\u001b[1;31m", GREEN = "\u001b[32m", YELLOW = "\u001b[33m", DIM = "\u001b[2m", RESET = "\u001b[0m";

    private final OutputStream out;
    private final JsonGenerator json;
    private final boolean color;
    private final boolean quietOk;
    private final boolean flushEach;
    private final BatchBuffer text = new BatchBuffer(512);
    private String[] lastNames;
    private SerializedString[] encodedNames;
    /** Explanation numbers already written, by a hash of their bits; shared with siblings (the usual ranges repeat). */
    private final Num[] numbers;

    /**
     * @param json      JSON Lines instead of text
     * @param color     ANSI colour (only when stdout is a terminal and NO_COLOR is unset)
     * @param quietOk   skip OK lines in text mode (JSON always prints every line)
     * @param flushEach flush after every verdict (live mode, so pipes see lines as they happen)
     */
    public VerdictPrinter(OutputStream out, boolean json, boolean color, boolean quietOk, boolean flushEach) {
        this(out, json, color, quietOk, flushEach, new Num[1024]);
    }

    private VerdictPrinter(OutputStream out, boolean json, boolean color, boolean quietOk, boolean flushEach, Num[] numbers) {
        this.numbers = numbers;
        this.out = out;
        this.color = color;
        this.quietOk = quietOk;
        this.flushEach = flushEach;
        try {
            this.json = json ? new JsonFactory().createGenerator(out).setRootValueSeparator(null) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when this printer writes JSON Lines (which print every score). */
    public boolean json() {
        return json != null;
    }

    /**
     * A printer with the same settings that writes to {@code out} and never flushes: {@link BatchPipeline} renders
     * each block with one, off the main thread, and hands the bytes to {@link #writeRendered}.
     */
    VerdictPrinter sibling(OutputStream out) {
        return new VerdictPrinter(out, json != null, color, quietOk, false, numbers);
    }

    /** Writes output a {@link #sibling} rendered, in order with this printer's own. */
    void writeRendered(BatchBuffer rendered) {
        try {
            if (json != null) json.flush();
            rendered.writeTo(out);
            if (flushEach) out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes one verdict. */
    public void print(Verdict v, String[] featureNames) {
        try {
            if (json != null) writeJson(v, featureNames);
            else writeText(v);
            if (flushEach) flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeText(Verdict v) throws IOException {
        if (!v.anomaly() && v.parsed() && quietOk) return;
        // Built as UTF-8 bytes straight away: a StringBuilder holding '🚨' or '–' turns UTF-16 and slows every append.
        text.reset();
        if (!v.parsed()) {
            paint(YELLOW);
            ascii("Unparsed (");
            ascii(v.malformed().name());
            ascii("): ");
            line(v.line());
            paint(RESET);
        } else if (v.anomaly()) {
            paint(RED);
            text.write(ANOMALY_PREFIX);
            line(v.line());
            paint(RESET);
            if (!v.reasons().isEmpty()) {
                paint(DIM);
                text.write(WHY_ARROW);
                writeWhy(v.reasons());
            }
            paint(RESET);
        } else {
            paint(GREEN);
            text.write(OK_PREFIX);
            paint(RESET);
            line(v.line());
        }
        text.write('\n');
        text.writeTo(out);
    }

    /** The log line, escaped for the terminal ({@link Printable#escape}) unless it is printable ASCII already. */
    private void line(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        text.write(Printable.printableAscii(b, 0, b.length) ? b : Printable.escape(line).getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #why(List)}'s text, as bytes. */
    private void writeWhy(List<Verdict.Contribution> reasons) {
        boolean first = true;
        for (Verdict.Contribution c : reasons) {
            if (!first) ascii(", ");
            first = false;
            text.write(c.feature().getBytes(StandardCharsets.UTF_8));
            text.write('=');
            ascii(cachedNum(c.value()));
            ascii(" (usual ");
            ascii(cachedNum(c.typicalLow()));
            text.write(EN_DASH);
            ascii(cachedNum(c.typicalHigh()));
            text.write(')');
        }
    }

    /** Writes text known to be ASCII (codes, numbers, fixed words) as bytes. */
    private void ascii(String s) {
        for (int i = 0; i < s.length(); i++) text.write(s.charAt(i));
    }

    private void paint(String code) {
        if (color) ascii(code);
    }

    /** The compact explanation, e.g. {@code status_404=1 (usual 0–0), sql_tokens=3 (usual 0–0)}. */
    public static String why(List<Verdict.Contribution> reasons) {
        StringBuilder w = new StringBuilder();
        for (Verdict.Contribution c : reasons) {
            if (w.length() > 0) w.append(", ");
            w.append(c.feature()).append('=').append(num(c.value()))
             .append(" (usual ").append(num(c.typicalLow())).append('–').append(num(c.typicalHigh())).append(')');
        }
        return w.toString();
    }

    private String cachedNum(double d) {
        long bits = Double.doubleToRawLongBits(d);
        int slot = (int) (bits ^ (bits >>> 29) ^ (bits >>> 47)) & (numbers.length - 1);
        Num n = numbers[slot];
        if (n == null || n.bits != bits) {
            n = new Num(bits, num(d));
            numbers[slot] = n; // racy but safe: a Num is immutable, and a lost write only costs a recomputation
        }
        return n.text;
    }

    /** One cached number: the double's bits and its text. */
    private record Num(long bits, String text) {}

    /** Whole numbers as they are, others like {@code %.3g}: 3 significant digits, half up, plain from 1e-4 to 999. */
    static String num(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
        if (!Double.isFinite(d)) return Double.toString(d);
        // By hand: Formatter costs ~1 µs a number, and its rounding differs between JDK 17 and 19+. This rounds
        // the shortest decimal digits (Double.toString's) half up, as JDK 17's Formatter does.
        String s = Double.toString(Math.abs(d));
        int e = s.indexOf('E');
        int end = e < 0 ? s.length() : e;
        int dot = s.indexOf('.');
        char[] digits = {'0', '0', '0', '0'};
        int n = 0;
        int first = -1;
        for (int i = 0; i < end && n < 4; i++) {
            char c = s.charAt(i);
            if (c == '.' || (n == 0 && c == '0')) continue;
            if (n == 0) first = i;
            digits[n++] = c;
        }
        int exp = (first < dot ? dot - first - 1 : dot - first) + (e < 0 ? 0 : Integer.parseInt(s, e + 1, s.length(), 10));
        if (digits[3] >= '5' && roundUp(digits)) exp++;
        StringBuilder out = new StringBuilder(12);
        if (d < 0) out.append('-');
        if (exp < -4 || exp >= 3) {
            out.append(digits[0]).append('.').append(digits, 1, 2).append(exp < 0 ? "e-" : "e+");
            return out.append(Math.abs(exp) < 10 ? "0" : "").append(Math.abs(exp)).toString();
        }
        if (exp < 0) return out.append("0.").append("0000", 0, -exp - 1).append(digits, 0, 3).toString();
        out.append(digits, 0, exp + 1);
        return exp == 2 ? out.toString() : out.append('.').append(digits, exp + 1, 2 - exp).toString();
    }

    /** Adds one unit in the third digit; true when it carries out ("999" becomes "100", one power of ten up). */
    private static boolean roundUp(char[] digits) {
        for (int i = 2; i >= 0; i--) {
            if (digits[i] != '9') {
                digits[i]++;
                return false;
            }
            digits[i] = '0';
        }
        digits[0] = '1';
        return true;
    }

    private void writeJson(Verdict v, String[] names) throws IOException {
        json.writeStartObject();
        json.writeNumberField("line_no", v.lineNo());
        json.writeStringField("verdict", !v.parsed() ? "unparsed" : v.anomaly() ? "anomaly" : "ok");
        if (v.position() != null) json.writeStringField("position", v.position());
        if (v.parsed()) {
            json.writeNumberField("score", round(v.score()));
            json.writeNumberField("threshold", round(v.threshold()));
            AccessRecord r = v.record();
            json.writeStringField("client", r.ip());
            json.writeStringField("method", r.method());
            json.writeStringField("path", r.path());
            json.writeNumberField("status", r.status());
            json.writeNumberField("bytes", r.bytes());
            json.writeObjectFieldStart("features");
            SerializedString[] fields = fieldNames(names);
            double[] x = v.features();
            for (int i = 0; i < fields.length; i++) {
                json.writeFieldName(fields[i]);
                json.writeNumber(text(round(x[i])));
            }
            json.writeEndObject();
            json.writeArrayFieldStart("why");
            for (Verdict.Contribution c : v.reasons()) {
                json.writeStartObject();
                json.writeStringField("feature", c.feature());
                json.writeNumberField("value", round(c.value()));
                json.writeNumberField("usual_low", round(c.typicalLow()));
                json.writeNumberField("usual_high", round(c.typicalHigh()));
                json.writeEndObject();
            }
            json.writeEndArray();
        } else {
            json.writeStringField("reason", v.malformed().name());
        }
        json.writeStringField("line", v.line());
        json.writeEndObject();
        json.flush();
        out.write('\n');
    }

    /** The names as pre-encoded JSON strings, kept for the names array last seen (the model's). */
    private SerializedString[] fieldNames(String[] names) {
        if (names != lastNames) {
            encodedNames = new SerializedString[names.length];
            for (int i = 0; i < names.length; i++) encodedNames[i] = new SerializedString(names[i]);
            lastNames = names;
        }
        return encodedNames;
    }

    /**
     * A finite d as JSON: its shortest decimal form by jackson's fast (Schubfach) writer, whole numbers from a table.
     * The same text as Double.toString gives (JDK 19+ always; JDK 17 on every value of the benchmark's 1M lines).
     */
    static String text(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e7 && (d != 0 || Double.doubleToRawLongBits(d) == 0)) {
            int i = (int) d;
            return i >= 0 && i < WHOLE.length ? WHOLE[i] : i + ".0";
        }
        return NumberOutput.toString(d, true);
    }

    private static double round(double d) {
        return Math.round(d * 1e6) / 1e6;
    }

    /** Flushes buffered output. */
    public void flush() {
        try {
            if (json != null) json.flush();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        flush();
    }
}
