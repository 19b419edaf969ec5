// VerdictPrinter.java -- writes verdicts to stdout as the course's OK / 🚨 lines or as JSON Lines.
//DEPS com.fasterxml.jackson.core:jackson-core:2.20.1
package sentinel;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * Renders verdicts. Text mode prints {@code OK: <line>}, {@code 🚨 Anomaly Detected: <line>} (plus a compact
 * "why" after the line) or {@code Unparsed (REASON): <line>}, with log text escaped so it cannot drive the
 * terminal; JSON mode prints one object per line. Not thread-safe.
 */
public final class VerdictPrinter implements AutoCloseable {
    private static final String RED = "\u001b[1;31m", GREEN = "\u001b[32m", YELLOW = "\u001b[33m", DIM = "\u001b[2m", RESET = "\u001b[0m";

    private final OutputStream out;
    private final JsonGenerator json;
    private final boolean color;
    private final boolean quietOk;
    private final boolean flushEach;
    private final StringBuilder sb = new StringBuilder(512);

    /**
     * @param json      JSON Lines instead of text
     * @param color     ANSI colour (only when stdout is a terminal and NO_COLOR is unset)
     * @param quietOk   skip OK lines in text mode (JSON always prints every line)
     * @param flushEach flush after every verdict (live mode, so pipes see lines as they happen)
     */
    public VerdictPrinter(OutputStream out, boolean json, boolean color, boolean quietOk, boolean flushEach) {
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
        sb.setLength(0);
        if (!v.parsed()) {
            paint(YELLOW).append("Unparsed (").append(v.malformed()).append("): ");
            sb.append(Printable.escape(v.line()));
            paint(RESET);
        } else if (v.anomaly()) {
            paint(RED).append("🚨 Anomaly Detected: ").append(Printable.escape(v.line()));
            paint(RESET);
            if (!v.reasons().isEmpty()) paint(DIM).append("  ⟵ ").append(why(v.reasons()));
            paint(RESET);
        } else {
            paint(GREEN).append("OK: ");
            paint(RESET).append(Printable.escape(v.line()));
        }
        sb.append('\n');
        out.write(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private StringBuilder paint(String code) {
        if (color) sb.append(code);
        return sb;
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

    static String num(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
        return String.format(Locale.ROOT, "%.3g", d);
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
            for (int i = 0; i < names.length; i++) json.writeNumberField(names[i], round(v.features()[i]));
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
