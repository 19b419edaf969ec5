// AccessRecord.java -- one parsed access-log line.
package sentinel;

/**
 * One access-log line split into fields. Absent fields are empty strings ("-" in the log becomes ""),
 * {@code bytes} is 0 for "-", {@code epochSecond} is -1 when the time has no usable date.
 */
public record AccessRecord(
        String ip,
        long epochSecond,
        String time,
        String method,
        String path,
        String query,
        String protocol,
        int status,
        long bytes,
        String referrer,
        String userAgent,
        String raw) {

    /** The request target as it appeared: path plus {@code ?query} when there is one. */
    public String target() {
        return query.isEmpty() ? path : path + "?" + query;
    }
}
