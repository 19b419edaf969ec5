// ConfigKey.java -- one documented, typed key of config.yaml: its default and how its text becomes a value.
package sentinel;

import java.time.Duration;
import java.util.Locale;

/** A key of config.yaml: dotted name, type, default text (null: unset), and one-line documentation. */
public record ConfigKey(String name, Type type, String defaultText, String doc) {

    /** Value types; each parses text and checks its range, throwing IllegalArgumentException with a short reason. */
    public enum Type {
        PATH, STRING, SECRET, BOOL, POSITIVE_INT, LONG, POSITIVE_SECONDS, DURATION, CONTAMINATION, SCORE, FRACTION, LOG_FORMAT, LOG_PATTERN
    }

    /** The option name mirroring the key: {@code log_file} becomes {@code --log-file}. */
    public String optionName() {
        return "--" + name.replace('.', '-').replace('_', '-');
    }

    /** The environment variable overriding the key: {@code log_file} becomes {@code SENTINEL_LOG_FILE}. */
    public String envName() {
        return "SENTINEL_" + name.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** Parses {@code text} into this key's value type; throws IllegalArgumentException naming what was expected. */
    public Object parse(String text) {
        String t = text.trim();
        switch (type) {
            case PATH, STRING, SECRET:
                return text;
            case BOOL:
                return switch (t.toLowerCase(Locale.ROOT)) {
                    case "true", "yes", "on" -> Boolean.TRUE;
                    case "false", "no", "off" -> Boolean.FALSE;
                    default -> throw new IllegalArgumentException("expected true or false");
                };
            case POSITIVE_INT:
                return positiveInt(t);
            case LONG:
                try {
                    return Long.parseLong(t);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("expected a whole number");
                }
            case POSITIVE_SECONDS:
                double s = number(t, "expected a number of seconds greater than 0");
                if (!(s > 0) || s > 3600) throw new IllegalArgumentException("expected a number of seconds in (0, 3600]");
                return Duration.ofNanos((long) (s * 1e9));
            case DURATION:
                return duration(t);
            case CONTAMINATION:
                if (t.equalsIgnoreCase("auto")) return Double.NaN;
                double c = number(t, "expected 'auto' or a number in (0, 0.5]");
                if (!(c > 0 && c <= 0.5)) throw new IllegalArgumentException("expected 'auto' or a number in (0, 0.5]");
                return c;
            case SCORE:
                if (t.isEmpty() || t.equalsIgnoreCase("none")) return Double.NaN;
                double sc = number(t, "expected a score in (0, 1) or 'none'");
                if (!(sc > 0 && sc < 1)) throw new IllegalArgumentException("expected a score in (0, 1) or 'none'");
                return sc;
            case FRACTION:
                double f = number(t, "expected a number in [0, 1]");
                if (!(f >= 0 && f <= 1)) throw new IllegalArgumentException("expected a number in [0, 1]");
                return f;
            case LOG_FORMAT:
                LogFormat lf = LogFormat.fromName(t);
                if (lf == null) throw new IllegalArgumentException("expected one of " + LogFormat.NAMES);
                return lf;
            case LOG_PATTERN:
                return LogPattern.compile(t);
            default:
                throw new IllegalStateException(type.name());
        }
    }

    private static int positiveInt(String t) {
        try {
            int v = Integer.parseInt(t);
            if (v >= 1) return v;
        } catch (NumberFormatException e) {
            // fall through to the common message
        }
        throw new IllegalArgumentException("expected a whole number of at least 1");
    }

    private static double number(String t, String expected) {
        try {
            double v = Double.parseDouble(t);
            if (Double.isFinite(v)) return v;
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException(expected);
    }

    /** Accepts {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, or a bare number of seconds. */
    static Duration duration(String t) {
        String s = t.toLowerCase(Locale.ROOT);
        double unit = 1.0;
        if (s.endsWith("ms")) { unit = 0.001; s = s.substring(0, s.length() - 2); }
        else if (s.endsWith("s")) { s = s.substring(0, s.length() - 1); }
        else if (s.endsWith("m")) { unit = 60; s = s.substring(0, s.length() - 1); }
        else if (s.endsWith("h")) { unit = 3600; s = s.substring(0, s.length() - 1); }
        double v = number(s.trim(), "expected a duration such as 250ms, 30s, 5m or 1h");
        if (v < 0 || v * unit > 7 * 24 * 3600) throw new IllegalArgumentException("expected a duration between 0 and 7 days");
        return Duration.ofNanos((long) (v * unit * 1e9));
    }
}
