// Printable.java -- makes attacker-written text safe for a terminal, and formats durations for people.
package sentinel;

import java.time.Duration;

/** Escapes control and invisible formatting characters so log text cannot drive a terminal. */
public final class Printable {
    private Printable() {}

    /**
     * Returns {@code s} with C0/C1 control characters, DEL and Unicode format characters (bidi overrides,
     * zero-width marks) written as {@code \xNN} or a backslash-u{NNNN} form; everything else is unchanged.
     */
    public static String escape(String s) {
        int n = s.length();
        int i = 0;
        while (i < n && safe(s.charAt(i))) i++;
        if (i == n) return s;
        StringBuilder sb = new StringBuilder(n + 16).append(s, 0, i);
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (safe(c)) sb.append(c);
            else if (c < 0x100) sb.append(String.format("\\x%02x", (int) c));
            else sb.append(String.format("\\u{%04x}", (int) c));
        }
        return sb.toString();
    }

    private static boolean safe(char c) {
        if (c >= 0x20 && c < 0x7f) return true;
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) return false;
        return Character.getType(c) != Character.FORMAT && c != '\u2028' && c != '\u2029';
    }

    /** At most {@code max} characters of {@code s}, escaped, with an ellipsis when cut. */
    public static String excerpt(String s, int max) {
        String e = escape(s.length() > max * 2 ? s.substring(0, max * 2) : s);
        return e.length() <= max ? e : e.substring(0, max) + "…";
    }

    /** A path as people want to read it: relative to the working directory when it lies inside it. */
    public static String path(java.nio.file.Path p) {
        java.nio.file.Path abs = p.toAbsolutePath().normalize();
        java.nio.file.Path cwd = java.nio.file.Path.of("").toAbsolutePath();
        return abs.startsWith(cwd) && !abs.equals(cwd) ? cwd.relativize(abs).toString() : p.toString();
    }

    /** {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h30m}: the same units config.yaml accepts. */
    public static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) return ms + "ms";
        long s = ms / 1000;
        if (s % 3600 == 0 && s > 0) return (s / 3600) + "h";
        if (s % 60 == 0 && s > 0) return (s / 60) + "m";
        return s + "s";
    }
}
