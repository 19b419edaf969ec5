// LogFormat.java -- the access-log layouts Sentinel reads and writes.
package sentinel;

import java.util.Locale;

/**
 * Access-log line layouts: nginx/Apache {@code combined} and {@code common}, the course's short {@code seed} form,
 * nginx {@code escape=json} objects, and {@code custom} lines read by a {@link LogPattern} from config.yaml.
 */
public enum LogFormat {
    /** {@code ip - user [time] "request" status bytes "referrer" "user agent"} */
    COMBINED,
    /** {@code ip - user [time] "request" status bytes} */
    COMMON,
    /** The course's short form: {@code 10.0.0.1 - - [27/Nov/2025] "GET /home HTTP/1.1" 200 500}. */
    SEED,
    /** One JSON object per line, as nginx writes with {@code log_format name escape=json '{...}'}. */
    NGINX_JSON,
    /** Lines matched by the {@code log_pattern} regex of config.yaml (named groups name the fields). */
    CUSTOM,
    /** Accept combined, common, seed and nginx-json, line by line (the default: logs in the wild mix them). */
    AUTO;

    /** The names config.yaml and the command line accept, in documentation order. */
    public static final String NAMES = "auto, combined, common, seed, nginx-json or custom";

    /** Parses a config or command-line value; returns null when it names no format. */
    public static LogFormat fromName(String name) {
        if (name == null) return null;
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The name config.yaml uses: {@code combined}, {@code nginx-json}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
