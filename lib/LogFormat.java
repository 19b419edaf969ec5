// LogFormat.java -- the access-log layouts Sentinel reads and writes.
package sentinel;

import java.util.Locale;

/** Access-log line layouts: nginx/Apache {@code combined} and {@code common}, and the course's short {@code seed} form. */
public enum LogFormat {
    /** {@code ip - user [time] "request" status bytes "referrer" "user agent"} */
    COMBINED,
    /** {@code ip - user [time] "request" status bytes} */
    COMMON,
    /** The course's short form: {@code 10.0.0.1 - - [27/Nov/2025] "GET /home HTTP/1.1" 200 500}. */
    SEED,
    /** Accept any of the above, line by line (the default: logs in the wild mix them). */
    AUTO;

    /** Parses a config or command-line value; returns null when it names no format. */
    public static LogFormat fromName(String name) {
        if (name == null) return null;
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
