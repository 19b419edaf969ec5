// LogFields.java -- the text fields a JSON or custom-pattern log line names, checked and turned into an AccessRecord.
package sentinel;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import sentinel.ParseResult.Malformed;
import sentinel.ParseResult.Parsed;
import sentinel.ParseResult.Reason;

/**
 * Field texts as a structured log names them (null: absent). Either {@code request} (the request line,
 * {@code GET /a?b=1 HTTP/1.1}) or {@code method} and {@code path} (with optional {@code query} and {@code protocol})
 * give the request; a {@code path} holding {@code ?} is split like a request target.
 */
record LogFields(String ip, String time, String request, String method, String path, String query, String protocol,
                 String status, String bytes, String referrer, String agent) {

    /** The record for {@code raw}, or Malformed with the same reasons the combined scanner uses. */
    ParseResult toResult(String raw) {
        String host = absent(ip) ? "" : ip.trim();
        if (!AccessLogParser.isHost(host, host.length())) return AccessLogParser.malformed(Reason.NO_IP, raw);
        if (absent(request) && absent(path) && absent(method)) return AccessLogParser.malformed(Reason.NO_REQUEST, raw);
        if (absent(status)) return AccessLogParser.malformed(Reason.NO_STATUS, raw);
        String st = status.trim();
        int code = st.length() == 3 ? (int) digits(st, 0, 3) : -1;
        if (code < 0) return AccessLogParser.malformed(Reason.BAD_STATUS, raw);
        long size = size(bytes);
        if (size < 0) return AccessLogParser.malformed(Reason.BAD_BYTES, raw);
        String timeText = time == null ? "" : time.trim();
        String[] rq = absent(request) ? split(orEmpty(method), orEmpty(path), orEmpty(query), orEmpty(protocol)) : split(request.trim());
        return new Parsed(new AccessRecord(host, epochSecond(timeText), timeText, rq[0], rq[1], rq[2], rq[3], code, size,
                dashless(referrer), dashless(agent), raw));
    }

    /** Method, path, query and protocol of a request line, as the combined scanner splits it. */
    static String[] split(String request) {
        if (request.isEmpty() || request.equals("-")) return new String[] {"", "", "", ""};
        int sp = request.indexOf(' ');
        if (sp < 0) return new String[] {request, "", "", ""};
        String method = request.substring(0, sp);
        int last = request.lastIndexOf(' ');
        String protocol = "";
        String target = request.substring(sp + 1);
        if (last > sp && request.startsWith("HTTP/", last + 1)) {
            protocol = request.substring(last + 1);
            target = request.substring(sp + 1, last);
        }
        return split(method, target.trim(), "", protocol);
    }

    private static String[] split(String method, String path, String query, String protocol) {
        int qm = path.indexOf('?');
        if (qm >= 0 && query.isEmpty()) {
            query = path.substring(qm + 1);
            path = path.substring(0, qm);
        }
        return new String[] {method.trim(), path, query.startsWith("?") ? query.substring(1) : query, protocol.trim()};
    }

    /**
     * UTC epoch seconds of a time as logs write it: {@code 27/Nov/2025:10:00:00 +0000} ($time_local),
     * {@code 2025-11-27T10:00:00+00:00} ($time_iso8601, fractions and Z allowed) or {@code 1764237600.123} ($msec);
     * -1 for anything else.
     */
    static long epochSecond(String t) {
        if (t.isEmpty()) return -1;
        long clf = AccessLogParser.epochSecond(t.startsWith("[") && t.endsWith("]") ? t.substring(1, t.length() - 1) : t);
        if (clf >= 0) return clf;
        char c0 = t.charAt(0);
        if (t.length() >= 19 && c0 >= '0' && c0 <= '9' && t.charAt(4) == '-' && t.charAt(10) == 'T') {
            try {
                long s = OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toEpochSecond();
                return s < 0 ? -1 : s;
            } catch (DateTimeException e) {
                return -1;
            }
        }
        return epochNumber(t);
    }

    /** Seconds since 1970 with an optional fraction ({@code 1764237600.123}), 9 to 11 digits; else -1. */
    private static long epochNumber(String t) {
        int dot = t.indexOf('.');
        int end = dot < 0 ? t.length() : dot;
        if (end < 9 || end > 11 || (dot >= 0 && dot + 1 < t.length() && digits(t, dot + 1, t.length()) < 0)) return -1;
        return digits(t, 0, end);
    }

    private static long size(String bytes) {
        if (absent(bytes)) return 0;
        String b = bytes.trim();
        return b.length() > 18 ? -1 : digits(b, 0, b.length());
    }

    /** The number in s[from, to) (at most 18 ASCII digits), or -1 when empty or anything else is there. */
    private static long digits(String s, int from, int to) {
        if (to <= from) return -1;
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) return -1;
            v = v * 10 + d;
        }
        return v;
    }

    private static boolean absent(String s) {
        return s == null || s.isBlank() || s.equals("-");
    }

    private static String orEmpty(String s) {
        return absent(s) ? "" : s;
    }

    private static String dashless(String s) {
        return absent(s) ? "" : s;
    }

    /** A Malformed for {@code raw}; the structured parsers' one way to fail. */
    static Malformed malformed(Reason reason, String raw) {
        return AccessLogParser.malformed(reason, raw);
    }
}
