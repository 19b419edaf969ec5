// SlackText.java -- makes attacker-controlled text inert in Slack mrkdwn (and Mattermost/Rocket.Chat markdown).
package sentinel;

/**
 * Escaping for text that goes into a Slack message: strips control characters, escapes {@code & < >} as
 * Slack requires, and cuts to a size limit with an ellipsis without ever splitting an escape or a character.
 * Every result is safe to embed in a mrkdwn text object; lengths are counted in UTF-16 units, which is never
 * fewer than Slack's character count, so the limits hold.
 */
public final class SlackText {
    /** What marks a cut field. */
    public static final String ELLIPSIS = "…";
    /** Shown for an empty or missing value. */
    public static final String EMPTY = "–";
    /** Stands in for a backtick inside a code span, where mrkdwn has no escape for it. */
    static final char BACKTICK_STAND_IN = 'ˋ';
    /** Invisible, and breaks {@code @channel}/{@code @here} mentions in Mattermost and Rocket.Chat. */
    static final char WORD_JOINER = '\u2060';

    private SlackText() {}

    /** Escaped, control-free {@code raw} of at most {@code max} units; mrkdwn in it still formats (our own text). */
    public static String plain(String raw, int max) {
        return clip(clean(raw, false), max);
    }

    /**
     * {@code raw} as an inline code span of at most {@code max} units, for text from a log line: inside the
     * span mrkdwn and Markdown formatting, links and images are inert; backticks are replaced (they would end
     * the span) and mentions are broken. An empty value becomes {@link #EMPTY}.
     */
    public static String code(String raw, int max) {
        String c = clean(raw, true);
        if (c.isEmpty()) return EMPTY;
        return "`" + clip(c, Math.max(1, max - 2)) + "`";
    }

    /** Escapes {@code & < >} in clean text, stopping (with an ellipsis) before the result passes {@code max}. */
    static String clip(String clean, int max) {
        StringBuilder sb = new StringBuilder(Math.min(clean.length() + 16, max + 8));
        int budget = max - ELLIPSIS.length();
        for (int i = 0; i < clean.length(); ) {
            int cp = clean.codePointAt(i);
            String piece = switch (cp) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                default -> new String(Character.toChars(cp));
            };
            i += Character.charCount(cp);
            boolean last = i >= clean.length();
            // the last piece may use the room kept for the ellipsis, since no ellipsis follows it
            if (sb.length() + piece.length() > (last ? max : budget)) return sb.append(ELLIPSIS).toString();
            sb.append(piece);
        }
        return sb.toString();
    }

    /**
     * Drops control and invisible formatting characters (bidi overrides could reorder what the on-call reads),
     * turns line breaks and tabs into spaces, and replaces lone surrogates. With {@code hostile}, also defuses
     * backticks and {@code @} mentions.
     */
    static String clean(String raw, boolean hostile) {
        if (raw == null) return "";
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); ) {
            int cp = raw.codePointAt(i);
            int n = Character.charCount(cp);
            if (cp == '\t' || cp == '\n' || cp == '\r') sb.append(' ');
            else if (Character.getType(cp) == Character.SURROGATE) sb.append('\uFFFD');
            else if (invisible(cp)) { /* dropped */ }
            else if (hostile && cp == '`') sb.append(BACKTICK_STAND_IN);
            else {
                sb.appendCodePoint(cp);
                if (hostile && cp == '@' && i + 1 < raw.length() && Character.isLetterOrDigit(raw.codePointAt(i + 1))) {
                    sb.append(WORD_JOINER);
                }
            }
            i += n;
        }
        return sb.toString();
    }

    private static boolean invisible(int cp) {
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}
