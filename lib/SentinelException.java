// SentinelException.java -- the one error type lib code throws at users.
package sentinel;

/** An error with a one-line, user-facing message and the exit status it should end the program with. */
public class SentinelException extends RuntimeException {
    private final int status;

    public SentinelException(int status, String message) {
        super(message);
        this.status = status;
    }

    public SentinelException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** Bad input: config, data, model file or usage (exit 2). */
    public static SentinelException badInput(String message) {
        return new SentinelException(ExitCodes.BAD_INPUT, message);
    }

    /** Runtime failure: I/O, network (exit 1). */
    public static SentinelException failure(String message, Throwable cause) {
        return new SentinelException(ExitCodes.FAILURE, message, cause);
    }

    public int status() {
        return status;
    }
}
