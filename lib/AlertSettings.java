// AlertSettings.java -- the alert: section of config.yaml plus the webhook, as the notifier needs them.
package sentinel;

import java.time.Duration;

/**
 * Settings for Slack alerts. {@code webhook} is a secret: never print it, use {@link #redactedWebhook()}.
 * A null webhook (missing, empty, or the course's placeholder) means alerts are off.
 */
public record AlertSettings(
        String webhook,
        boolean enabled,
        Duration groupWindow,
        Duration realert,
        double minScore,
        Duration timeout,
        int maxQueue) {

    public static final String PLACEHOLDER_MARK = "YOUR/WEBHOOK/URL";

    /** True when alerts should be sent: enabled and a real URL is configured. */
    public boolean active() {
        return enabled && webhook != null && !webhook.isBlank() && !webhook.contains(PLACEHOLDER_MARK);
    }

    /** The webhook with its secret path hidden, e.g. {@code https://hooks.slack.com/services/T…/…}. */
    public String redactedWebhook() {
        return redact(webhook);
    }

    /** Hides everything after the scheme, host and the first path segment's first character. */
    public static String redact(String url) {
        if (url == null || url.isBlank()) return "(none)";
        int scheme = url.indexOf("://");
        if (scheme < 0) return "…";
        int slash = url.indexOf('/', scheme + 3);
        if (slash < 0) return url.substring(0, scheme + 3) + "…";
        String head = url.substring(0, slash + 1);
        String[] parts = url.substring(slash + 1).split("/", -1);
        StringBuilder sb = new StringBuilder(head);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) sb.append('/');
            // keep the fixed, non-secret prefix ("services"); hide each token, showing only its first character
            if (i == 0 && parts[i].equals("services")) sb.append(parts[i]);
            else if (i == 1 && !parts[i].isEmpty()) sb.append(parts[i].charAt(0)).append('…');
            else sb.append('…');
        }
        return sb.toString();
    }
}
