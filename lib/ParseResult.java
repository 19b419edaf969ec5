// ParseResult.java -- what the parser makes of one line: a record or a typed failure, never null.
package sentinel;

/** The outcome of parsing one line: {@link Parsed} or {@link Malformed}. */
public sealed interface ParseResult permits ParseResult.Parsed, ParseResult.Malformed {

    /** Why a line could not be parsed; counted per reason and reported. */
    enum Reason { EMPTY, NO_IP, NO_TIME, NO_REQUEST, BAD_REQUEST, NO_STATUS, BAD_STATUS, BAD_BYTES, TRUNCATED, BINARY, TOO_LONG, PATTERN_MISMATCH }

    /** A line that parsed. */
    record Parsed(AccessRecord record) implements ParseResult {}

    /** A line that did not parse; {@code excerpt} is a short, control-character-free piece of it. */
    record Malformed(Reason reason, String excerpt) implements ParseResult {}
}
