// NginxJsonParser.java -- reads one JSON-object access-log line (nginx escape=json, and the common field names) into a record.
//DEPS com.fasterxml.jackson.core:jackson-core:2.20.1
package sentinel;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import sentinel.ParseResult.Reason;

/**
 * Parses lines such as nginx's {@code log_format main escape=json '{"remote_addr":"$remote_addr",...}'}: one JSON
 * object per line. Field names follow nginx's variables, with the names other shippers use as aliases
 * ({@code remote_addr}/{@code client_ip}/{@code ip}, {@code time_local}/{@code time_iso8601}/{@code @timestamp},
 * {@code request} or {@code request_method} + {@code request_uri}, {@code status}, {@code body_bytes_sent},
 * {@code http_referer}, {@code http_user_agent}...). Decoded control characters are written back as {@code \xNN}
 * (nginx's own escape) so that attacker text cannot smuggle them further. Thread-safe; never throws.
 */
public final class NginxJsonParser {
    private static final int IP = 0, TIME = 1, REQUEST = 2, METHOD = 3, PATH = 4, QUERY = 5, PROTOCOL = 6, STATUS = 7,
            BYTES = 8, REFERRER = 9, AGENT = 10, FIELDS = 11;
    /** Field name → slot; earlier names in each slot's list win when a line has several. */
    private static final Map<String, int[]> NAMES = Map.ofEntries(
            Map.entry("remote_addr", new int[] {IP, 0}), Map.entry("client_ip", new int[] {IP, 1}),
            Map.entry("clientip", new int[] {IP, 2}), Map.entry("remote_ip", new int[] {IP, 3}),
            Map.entry("ip", new int[] {IP, 4}), Map.entry("client", new int[] {IP, 5}),
            Map.entry("time_local", new int[] {TIME, 0}), Map.entry("time_iso8601", new int[] {TIME, 1}),
            Map.entry("time", new int[] {TIME, 2}), Map.entry("@timestamp", new int[] {TIME, 3}),
            Map.entry("timestamp", new int[] {TIME, 4}), Map.entry("msec", new int[] {TIME, 5}),
            Map.entry("request", new int[] {REQUEST, 0}),
            Map.entry("request_method", new int[] {METHOD, 0}), Map.entry("method", new int[] {METHOD, 1}),
            Map.entry("request_uri", new int[] {PATH, 0}), Map.entry("uri", new int[] {PATH, 1}),
            Map.entry("path", new int[] {PATH, 2}),
            Map.entry("args", new int[] {QUERY, 0}), Map.entry("query_string", new int[] {QUERY, 1}),
            Map.entry("query", new int[] {QUERY, 2}),
            Map.entry("server_protocol", new int[] {PROTOCOL, 0}), Map.entry("protocol", new int[] {PROTOCOL, 1}),
            Map.entry("status", new int[] {STATUS, 0}),
            Map.entry("body_bytes_sent", new int[] {BYTES, 0}), Map.entry("bytes_sent", new int[] {BYTES, 1}),
            Map.entry("bytes", new int[] {BYTES, 2}), Map.entry("size", new int[] {BYTES, 3}),
            Map.entry("http_referer", new int[] {REFERRER, 0}), Map.entry("http_referrer", new int[] {REFERRER, 1}),
            Map.entry("referer", new int[] {REFERRER, 2}), Map.entry("referrer", new int[] {REFERRER, 3}),
            Map.entry("http_user_agent", new int[] {AGENT, 0}), Map.entry("user_agent", new int[] {AGENT, 1}),
            Map.entry("useragent", new int[] {AGENT, 2}), Map.entry("agent", new int[] {AGENT, 3}));
    private static final int MAX_DEPTH = 8;

    private final JsonFactory factory = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build();

    /** Parses one line already screened by {@link AccessLogParser} (length, blank, control characters). */
    public ParseResult parse(String line) {
        String[] value = new String[FIELDS];
        int[] rank = new int[FIELDS];
        java.util.Arrays.fill(rank, Integer.MAX_VALUE);
        try (JsonParser p = factory.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return LogFields.malformed(Reason.PATTERN_MISMATCH, line);
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                    p.skipChildren();
                    continue;
                }
                int[] slot = name == null ? null : NAMES.get(name.toLowerCase(Locale.ROOT));
                if (slot == null || v == JsonToken.VALUE_NULL || slot[1] >= rank[slot[0]]) continue;
                rank[slot[0]] = slot[1];
                value[slot[0]] = controlsEscaped(p.getText());
            }
            if (p.nextToken() != null) return LogFields.malformed(Reason.PATTERN_MISMATCH, line);
        } catch (JsonEOFException e) {
            return LogFields.malformed(Reason.TRUNCATED, line);
        } catch (IOException | RuntimeException e) {
            return LogFields.malformed(Reason.PATTERN_MISMATCH, line);
        }
        return new LogFields(value[IP], value[TIME], value[REQUEST], value[METHOD], value[PATH], value[QUERY], value[PROTOCOL],
                value[STATUS], value[BYTES], value[REFERRER], value[AGENT]).toResult(line);
    }

    /** Control characters (C0, DEL, C1) as {@code \xNN}; everything else as decoded. */
    static String controlsEscaped(String s) {
        int i = 0;
        while (i < s.length() && !control(s.charAt(i))) i++;
        if (i == s.length()) return s;
        StringBuilder sb = new StringBuilder(s.length() + 8).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (control(c)) sb.append(String.format("\\x%02X", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }

    private static boolean control(char c) {
        return c < 0x20 || (c >= 0x7f && c < 0xa0);
    }
}
