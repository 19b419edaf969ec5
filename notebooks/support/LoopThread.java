// LoopThread.java -- rapaio kernel 3.0.1's channel loop with its start-up race fixed (this copy shadows the jar's class).
package org.rapaio.jupyter.kernel.channels;

/**
 * Runs a channel's loop body, sleeping between rounds. Replaces the class of the same name in
 * {@code io.github.padreati:rapaio-jupyter-kernel:3.0.1}: kernel.java's own jar comes first on the kernel's class path.
 *
 * <p>The original sets {@code running = true} after {@code Thread.start()}, so a loop thread that gets the CPU first
 * sees {@code false} and ends at once; and any exception in the body ends the thread. Both leave a channel dead and
 * Jupyter waiting for {@code kernel_info} until it gives up (about 3 starts in 20 on a busy 2-core machine; the
 * exception is an NPE when the first request arrives before the kernel has registered its handlers). Here the flag
 * is set before the thread starts, and a failing round is reported and the loop goes on: the client re-sends
 * {@code kernel_info} until it gets an answer.
 */
public final class LoopThread extends Thread {

    private volatile boolean running = false;
    private final long sleep;
    private final Runnable loopBody;

    public LoopThread(String name, long sleep, Runnable loopBody) {
        super(name);
        this.sleep = sleep;
        this.loopBody = loopBody;
    }

    @Override
    public void run() {
        while (running) {
            try {
                loopBody.run();
            } catch (RuntimeException e) {
                System.err.println(getName() + ": " + e + " (message dropped, loop continues)");
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                running = false;
                return;
            }
        }
    }

    @Override
    public synchronized void start() {
        running = true;
        super.start();
    }

    public void shutdown() {
        running = false;
    }
}
