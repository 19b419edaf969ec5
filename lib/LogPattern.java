// LogPattern.java -- the log_pattern of config.yaml: a checked regex whose named groups name a custom format's fields.
package sentinel;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import sentinel.ParseResult.Reason;

/**
 * A regex with named groups for {@code log_format: custom}, matched from the start of each line (text after the match
 * is ignored, as in combined). Groups: {@code ip}, {@code status} and {@code request} (or {@code path}, with optional
 * {@code method}, {@code query}, {@code protocol}) are required; {@code time}, {@code bytes}, {@code referrer} (or
 * {@code referer}) and {@code agent} (or {@code useragent}) are optional; other groups are allowed and ignored.
 * Matching is bounded: a line that makes the regex backtrack without end is PATTERN_MISMATCH, not a stuck detector.
 */
public final class LogPattern {
    /** The group names Sentinel reads. */
    public static final List<String> GROUPS = List.of("ip", "time", "request", "method", "path", "query", "protocol",
            "status", "bytes", "referrer", "referer", "agent", "useragent");
    /** Character reads a match may make per character of the line before it is given up (bounds backtracking). */
    static final int STEPS_PER_CHAR = 200;

    private final String regex;
    private final Pattern pattern;
    private final Set<String> groups;

    private LogPattern(String regex, Pattern pattern, Set<String> groups) {
        this.regex = regex;
        this.pattern = pattern;
        this.groups = groups;
    }

    /** Compiles and checks {@code regex}; throws IllegalArgumentException with a one-line reason. */
    public static LogPattern compile(String regex) {
        if (regex == null || regex.isBlank()) throw new IllegalArgumentException("expected a regex with named groups such as (?<ip>\\S+)");
        Pattern p;
        try {
            p = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("not a valid regex: " + e.getDescription() + " near index " + e.getIndex());
        }
        Set<String> names = namedGroups(regex, p);
        List<String> missing = new ArrayList<>();
        if (!names.contains("ip")) missing.add("ip");
        if (!names.contains("status")) missing.add("status");
        if (!names.contains("request") && !names.contains("path")) missing.add("request (or path)");
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the regex has no named group " + String.join(", ", missing) + hint(names)
                    + "; write them as (?<ip>...), (?<status>...), (?<request>...)");
        }
        Set<String> used = new LinkedHashSet<>(GROUPS);
        used.retainAll(names);
        return new LogPattern(regex, p, used);
    }

    /** The regex as written in config.yaml. */
    public String regex() {
        return regex;
    }

    @Override
    public String toString() {
        return regex;
    }

    /** Parses one screened line; never throws. */
    public ParseResult parse(String line) {
        Matcher m = pattern.matcher(new BoundedText(line, (long) STEPS_PER_CHAR * line.length() + 10_000));
        try {
            if (!m.lookingAt()) return LogFields.malformed(Reason.PATTERN_MISMATCH, line);
        } catch (BoundedText.TooManySteps e) {
            return LogFields.malformed(Reason.PATTERN_MISMATCH, line);
        }
        return new LogFields(group(m, "ip"), group(m, "time"), group(m, "request"), group(m, "method"), group(m, "path"),
                group(m, "query"), group(m, "protocol"), group(m, "status"), group(m, "bytes"),
                first(group(m, "referrer"), group(m, "referer")), first(group(m, "agent"), group(m, "useragent"))).toResult(line);
    }

    private String group(Matcher m, String name) {
        return groups.contains(name) ? m.group(name) : null;
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }

    /**
     * The names of the regex's named groups. Java 17 has no API for them, so candidates are read from the text and
     * each is confirmed against the compiled pattern (a name inside a character class or a quote is not a group).
     */
    static Set<String> namedGroups(String regex, Pattern compiled) {
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i + 3 < regex.length(); i++) {
            if (regex.charAt(i) == '\\') { i++; continue; }
            if (!regex.startsWith("(?<", i) || !Character.isLetter(regex.charAt(i + 3))) continue;
            int end = regex.indexOf('>', i + 3);
            if (end > 0) names.add(regex.substring(i + 3, end));
        }
        Matcher probe;
        try {
            // an empty alternative makes the probe match "", so group lookups work and reveal which names exist
            probe = Pattern.compile("(?:" + regex + ")|").matcher("");
            if (!probe.lookingAt()) return names;
        } catch (PatternSyntaxException e) {
            return names;
        }
        names.removeIf(n -> {
            try {
                probe.start(n);
                return false;
            } catch (IllegalArgumentException e) {
                return true;
            }
        });
        return names;
    }

    /** A did-you-mean for group names that are near a required one. */
    private static String hint(Set<String> names) {
        for (String n : names) {
            if (GROUPS.contains(n)) continue;
            String lower = n.toLowerCase();
            for (String want : List.of("ip", "status", "request", "path")) {
                if (lower.equals(want) || lower.startsWith(want) || want.startsWith(lower) || close(lower, want)) {
                    return " (the regex names '" + n + "': did you mean '" + want + "'?)";
                }
            }
        }
        return "";
    }

    private static boolean close(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 2) return false;
        int same = 0;
        for (int i = 0; i < Math.min(a.length(), b.length()); i++) if (a.charAt(i) == b.charAt(i)) same++;
        return a.length() >= 4 && same >= Math.max(a.length(), b.length()) - 2;
    }

    /** A line as the regex sees it, counting reads: past the budget, the match is abandoned. */
    private static final class BoundedText implements CharSequence {
        /** Thrown out of the regex engine when a match has used its budget. */
        static final class TooManySteps extends RuntimeException {
            TooManySteps() {
                super(null, null, false, false);
            }
        }

        private final String text;
        private long budget;

        BoundedText(String text, long budget) {
            this.text = text;
            this.budget = budget;
        }

        @Override
        public char charAt(int index) {
            if (--budget < 0) throw new TooManySteps();
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.substring(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
