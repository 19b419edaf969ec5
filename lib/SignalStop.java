// SignalStop.java -- runs a source until it ends or SIGINT/SIGTERM stops it, then finishes cleanly before the JVM exits.
package sentinel;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The shutdown handshake detect and alert share: a shutdown hook closes the source (which ends its run) and waits,
 * bounded, until the finishing step — flushing output and alerts, printing the summary — has completed, so Ctrl-C
 * or SIGTERM loses nothing already read.
 */
final class SignalStop {
    /** How long the JVM's exit waits for the finishing step. */
    static final long FINISH_SECONDS = 20;

    /** The body; may throw. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    private SignalStop() {}

    /** Runs {@code body} (reading {@code source}) to its end or a signal, then {@code finish}, even when body throws. */
    static void run(LineSource source, Body body, Runnable finish) throws Exception {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            source.close();
            try {
                finished.await(FINISH_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sentinel-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            body.run();
        } finally {
            try {
                finish.run();
            } finally {
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException alreadyShuttingDown) {
                    // the hook is running and waits for the countDown above
                }
            }
        }
    }
}
