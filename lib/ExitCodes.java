// ExitCodes.java -- the few exit statuses every Sentinel script uses, shown in --help.
package sentinel;

/** Named exit statuses (0 ok, 1 runtime failure, 2 bad input), as in picocli and JBang. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int BAD_INPUT = 2;
    /** Exit status of a process stopped by SIGINT/SIGTERM after a clean shutdown (128 + SIGINT). */
    public static final int INTERRUPTED = 130;
    /** Exit status when standard output was closed by its reader ({@code detect | head}): 128 + SIGPIPE, as a C tool dies. */
    public static final int CLOSED_OUTPUT = 141;

    /** Lines for picocli's {@code exitCodeList}. */
    public static final String[] HELP = {
        "0:Success.",
        "1:Runtime failure (I/O error, webhook unreachable).",
        "2:Bad input: usage, config.yaml, data or model file.",
    };

    private ExitCodes() {}
}
