// BatchPipeline.java -- judges lines in blocks across cores with the same verdicts and output as one by one.
package sentinel;

import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link Detector#judge} over blocks of up to {@value #BLOCK} lines on a small pool. Each block is one task: it parses
 * its lines and computes their per-line features, waits for the block before it to leave the client window
 * (per-client state, so log order), adds the client window's features, scores, explains and renders its lines, then
 * waits its turn to emit them (print, alert, count). A block stays on one thread from start to end, so its data stays
 * in that core's cache; only the client window and the output change hands. The verdicts and the output bytes are
 * those of judging and printing line by line. At most {@value #IN_FLIGHT} blocks are in the pipeline, so memory stays
 * flat whatever the input. With a linger time (live mode), a block that has waited that long is sent through
 * unfilled, so a quiet log's lines still get their verdicts within about that time. {@link #add} and
 * {@link #finish} are for one thread.
 */
final class BatchPipeline implements AutoCloseable {
    static final int BLOCK = 512;
    static final int IN_FLIGHT = 4;

    /** Receives each block in log order, one at a time: its verdicts and the output rendered for them. */
    interface Emitter {
        void emit(Verdict[] verdicts, int count, BatchBuffer rendered);
    }

    private final Detector detector;
    private final VerdictPrinter template;
    private final Emitter emitter;
    private final boolean exactScores;
    private final int width;
    private final ExecutorService pool;
    /** Each pool thread's featurizer for the per-line features (scratch buffers and agent cache of its own). */
    private final ThreadLocal<Featurizer> workers;
    private final ArrayDeque<Future<?>> inFlight = new ArrayDeque<>();
    private final Turns turns = new Turns();
    private final long lingerNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition opened = lock.newCondition();
    private final Thread sealer;
    private volatile boolean closed;
    private BatchBlock open;
    private long openedAt;
    private long blocks;
    private long lineNo;

    /**
     * @param template    renders like this printer (each block gets a {@link VerdictPrinter#sibling})
     * @param exactScores score every line in full; false lets clearly normal lines stop early (see
     *                    {@link ForestScorer#score(double[][], int, int, double[], double)}): the verdicts and the
     *                    scores of anomalies stay exact, an OK line's score becomes a bound below the threshold
     * @param threads     worker threads
     * @param linesBefore lines judged before this pipeline's first (line numbers continue from there)
     * @param lingerNanos how long a block may wait for more lines (0: until full or {@link #finish})
     */
    BatchPipeline(Detector detector, VerdictPrinter template, Emitter emitter, boolean exactScores, int threads, long linesBefore,
                  long lingerNanos) {
        this.detector = detector;
        this.template = template;
        this.emitter = emitter;
        this.exactScores = exactScores;
        this.width = detector.bundle().schema().size();
        this.lineNo = linesBefore;
        this.lingerNanos = lingerNanos;
        this.workers = ThreadLocal.withInitial(() -> detector.featurizer().forWorker());
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "sentinel-batch-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.sealer = lingerNanos > 0 ? new Thread(this::sealLingering, "sentinel-batch-sealer") : null;
        if (sealer != null) {
            sealer.setDaemon(true);
            sealer.start();
        }
    }

    /** Queues one line; may wait for earlier blocks, and rethrows the first failure of any block. */
    void add(String line, String position) {
        lock.lock();
        try {
            turns.check();
            if (open == null) {
                open = new BatchBlock(BLOCK, detector.newParser());
                openedAt = System.nanoTime();
                opened.signal();
            }
            open.add(line, position, ++lineNo);
            if (open.size() == BLOCK) submit();
        } finally {
            lock.unlock();
        }
    }

    /** Lines queued so far. */
    long lines() {
        return lineNo;
    }

    /** Sends the open block through and waits until every block is emitted; rethrows the first failure. */
    void finish() {
        lock.lock();
        try {
            if (open != null && open.size() > 0) submit();
            while (!inFlight.isEmpty()) await(inFlight.poll());
            turns.check();
        } finally {
            lock.unlock();
        }
    }

    /** The sealer thread: sends a block through once it has waited {@code lingerNanos}, full or not. */
    private void sealLingering() {
        lock.lock();
        try {
            while (!closed) {
                if (open == null) {
                    opened.await();
                } else if (openedAt + lingerNanos - System.nanoTime() > 0) {
                    opened.awaitNanos(openedAt + lingerNanos - System.nanoTime());
                } else {
                    submit();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // a block failed: add() and finish() rethrow it on the reading thread
        } finally {
            lock.unlock();
        }
    }

    /** Called with the lock held. */
    private void submit() {
        BatchBlock b = open;
        long seq = blocks++;
        open = null;
        inFlight.add(pool.submit(() -> run(b, seq)));
        while (inFlight.size() >= IN_FLIGHT) await(inFlight.poll());
    }

    /** One block, start to end, on one pool thread. */
    private void run(BatchBlock b, long seq) {
        try {
            b.parse(workers.get(), width);
            turns.await(Turns.FEATURIZE, seq);
            b.featurize(detector);
            turns.advance(Turns.FEATURIZE, seq);
            b.judge(detector, exactScores, template);
            turns.await(Turns.EMIT, seq);
            b.emit(emitter);
            turns.advance(Turns.EMIT, seq);
        } catch (RuntimeException | Error e) {
            turns.fail(e);
            throw e;
        }
    }

    private void await(Future<?> f) {
        try {
            f.get();
        } catch (ExecutionException | CancellationException e) {
            turns.check();
            throw new IllegalStateException("a batch block failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for a batch block");
        }
    }

    @Override
    public void close() {
        closed = true;
        if (sealer != null) sealer.interrupt();
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whose turn each in-order stage is (by block number); a failure releases every waiter. */
    private static final class Turns {
        static final int FEATURIZE = 0, EMIT = 1;
        private final long[] next = new long[2];
        private Throwable failure;

        synchronized void await(int stage, long seq) {
            try {
                while (failure == null && next[stage] != seq) wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted");
            }
            if (failure != null) throw new CancellationException("an earlier block failed");
        }

        synchronized void advance(int stage, long seq) {
            next[stage] = seq + 1;
            notifyAll();
        }

        synchronized void fail(Throwable t) {
            if (failure == null) failure = t;
            notifyAll();
        }

        /** Rethrows the first failure, if any. */
        synchronized void check() {
            if (failure instanceof RuntimeException re) throw re;
            if (failure instanceof Error err) throw err;
        }
    }
}
