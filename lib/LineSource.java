// LineSource.java -- where detect's lines come from: a followed file, standard input, or Kafka.
package sentinel;

/** A source of log lines handed, in order, to a {@link Sink}; closing it from another thread ends {@link #run}. */
public interface LineSource extends AutoCloseable {

    /** Receives each line; returning means the line is fully processed (sources may checkpoint after it). */
    @FunctionalInterface
    interface Sink {
        /** {@code position} names where the line came from (e.g. {@code access.log:1234}); may be null. */
        void accept(String line, String position) throws Exception;
    }

    /**
     * Reads lines and hands each to {@code sink} until the source is exhausted (batch mode, end of stdin)
     * or {@link #close()} is called. Throws {@link SentinelException} with a one-line message on failure.
     */
    void run(Sink sink) throws Exception;

    /** Stops {@link #run} soon (safe from any thread, e.g. a shutdown hook) and releases resources. */
    @Override
    void close();
}
