// BenchReport.java -- bench.java's figures as a table for people and as JSON for machines.

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Collects figures (name, value, unit, target) in order and writes them as an aligned table and as JSON. */
final class BenchReport {
    /** One figure; {@code target} is a human rule such as "≥ 1,000,000" or "" when there is none. */
    record Figure(String key, String label, double value, String unit, String target, Boolean met) {}

    private final List<Figure> figures = new ArrayList<>();
    private final Map<String, Object> context = new LinkedHashMap<>();
    private final Map<String, Object> extra = new LinkedHashMap<>();

    /** Adds a figure without a target. */
    void add(String key, String label, double value, String unit) {
        figures.add(new Figure(key, label, value, unit, "", null));
    }

    /** Adds a figure that must be at least {@code min}. */
    void atLeast(String key, String label, double value, String unit, double min) {
        figures.add(new Figure(key, label, value, unit, "≥ " + format(min), value >= min));
    }

    /** Adds a figure that must be at most {@code max}. */
    void atMost(String key, String label, double value, String unit, double max) {
        figures.add(new Figure(key, label, value, unit, "≤ " + format(max), value <= max));
    }

    /** Machine facts printed above the table and stored in the JSON (load, cores, versions, command). */
    void context(String key, Object value) {
        context.put(key, value);
    }

    /** Other structured results (e.g. memory samples, the Python baseline) stored in the JSON only. */
    void extra(String key, Object value) {
        extra.put(key, value);
    }

    static String format(double v) {
        if (Double.isNaN(v)) return "n/a";
        if (Math.abs(v) >= 1000) return String.format(Locale.ROOT, "%,.0f", v);
        if (Math.abs(v) >= 10) return String.format(Locale.ROOT, "%.1f", v);
        return String.format(Locale.ROOT, "%.2f", v);
    }

    void printTable(PrintStream out) {
        context.forEach((k, v) -> out.println(k + ": " + v));
        out.println();
        out.println("| figure | value | target | |");
        out.println("|---|---:|---|---|");
        for (Figure f : figures) {
            String status = f.met() == null ? "" : f.met() ? "met" : "MISSED";
            out.printf(Locale.ROOT, "| %s | %s %s | %s | %s |%n", f.label(), format(f.value()), f.unit(), f.target(), status);
        }
    }

    void writeJson(Path file) throws IOException {
        try (JsonGenerator g = new JsonFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            writeValue(g, "context", context);
            g.writeObjectFieldStart("figures");
            for (Figure f : figures) {
                g.writeObjectFieldStart(f.key());
                g.writeStringField("label", f.label());
                writeNumber(g, "value", f.value());
                g.writeStringField("unit", f.unit());
                if (f.met() != null) {
                    g.writeStringField("target", f.target());
                    g.writeBooleanField("met", f.met());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
            for (Map.Entry<String, Object> e : extra.entrySet()) writeValue(g, e.getKey(), e.getValue());
            g.writeEndObject();
        }
    }

    private static void writeNumber(JsonGenerator g, String name, double v) throws IOException {
        if (Double.isFinite(v)) g.writeNumberField(name, v);
        else g.writeNullField(name);
    }

    private static void writeValue(JsonGenerator g, String name, Object v) throws IOException {
        g.writeFieldName(name);
        writeValue(g, v);
    }

    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) writeValue(g, String.valueOf(e.getKey()), e.getValue());
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object o : l) writeValue(g, o);
            g.writeEndArray();
        } else if (v instanceof Number n) {
            if (Double.isFinite(n.doubleValue())) g.writeNumber(n.doubleValue()); else g.writeNull();
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            g.writeString(String.valueOf(v));
        }
    }
}
