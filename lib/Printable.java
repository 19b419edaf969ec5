// Printable.java -- makes attacker-written text safe for a terminal, and formats durations for people.
package sentinel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.time.Duration;

/** Escapes control and invisible formatting characters so log text cannot drive a terminal. */
public final class Printable {
    private Printable() {}

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH = 0x8080808080808080L, SPACE = 0x2020202020202020L, ONES = 0x0101010101010101L,
            DEL = 0x7f7f7f7f7f7f7f7fL;

    /**
     * True when every byte of {@code b[from, to)} is printable ASCII (0x20 to 0x7e), which {@link #escape} leaves as
     * it is. Eight bytes at a time: log lines are nearly always plain ASCII, and this runs on every line.
     */
    static boolean printableAscii(byte[] b, int from, int to) {
        long bad = 0;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long w = (long) LONGS.get(b, i);
            long del = w ^ DEL;
            // a byte >= 0x80, a byte below 0x20, a byte equal to 0x7f: borrows only spread above a byte that is bad anyway
            bad |= w | ((w - SPACE) & ~w) | ((del - ONES) & ~del);
        }
        if ((bad & HIGH) != 0) return false;
        for (; i < to; i++) if (b[i] < 0x20 || b[i] == 0x7f) return false; // bytes >= 0x80 are negative
        return true;
    }

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
