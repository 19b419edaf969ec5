// CheckpointTest.java -- checkpoints survive crashes and restarts: atomic files, exact resumption, SIGKILL.
package sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static sentinel.TailHarness.assertExactlyOnce;
import static sentinel.TailHarness.write;

import java.io.FileOutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sentinel.TailHarness.Running;

class CheckpointTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private TailSettings settings(Path log) {
        return new TailSettings(log, Duration.ofMillis(100), 65536, dir.resolve("tail.state"));
    }

    private static long offsetAfter(int lines) {
        return IntStream.range(0, lines).mapToLong(n -> TailHarness.bytes(n).length).sum();
    }

    @Test
    void savedCheckpointLoadsBackEqualAndLeavesNoTemporaryFile() {
        Path state = dir.resolve("s.state");
        Checkpoint cp = Checkpoint.of(dir.resolve("access.log"), "(dev=803,ino=42)", "abc\ndef\n".getBytes(StandardCharsets.UTF_8), 4);
        cp.save(state);
        cp.save(state); // replacing an existing one works too
        assertEquals(cp, Checkpoint.load(state));
        assertEquals(4, cp.fingerprintBytes());
        assertFalse(Files.exists(dir.resolve("s.state.tmp")));
    }

    @Test
    void missingStateFileMeansNoCheckpointAndGarbledOneIsBadInput() throws Exception {
        assertNull(Checkpoint.load(dir.resolve("none.state")));
        Path state = dir.resolve("bad.state");
        Files.writeString(state, "version=1\nfile=/x\noffset=banana\n");
        SentinelException e = assertThrows(SentinelException.class, () -> Checkpoint.load(state));
        assertEquals(ExitCodes.BAD_INPUT, e.status());
        assertTrue(e.getMessage().contains(state.toString()), e.getMessage());
    }

    @Test
    void fingerprintTellsTheCheckpointedContentFromAFileReusingItsInode() throws Exception {
        Path a = dir.resolve("a.log");
        Path b = dir.resolve("b.log");
        Files.writeString(a, "first line\nsecond line\n");
        Files.writeString(b, "other line\nsecond line\n");
        Checkpoint cp = Checkpoint.of(a, "k", Files.readAllBytes(a), 11);
        try (FileChannel ca = FileChannel.open(a); FileChannel cb = FileChannel.open(b)) {
            assertTrue(cp.sameContent(ca));
            assertFalse(cp.sameContent(cb));
        }
        Files.writeString(a, "first li"); // truncated below the checkpointed offset
        try (FileChannel ca = FileChannel.open(a)) {
            assertFalse(cp.sameContent(ca));
        }
    }

    @Test
    void closeCheckpointsExactlyTheLinesWhoseSinkReturnedAndTheRestartRepeatsNone() throws Exception {
        Path log = dir.resolve("access.log");
        try (FileOutputStream out = new FileOutputStream(log.toFile())) {
            write(out, 0, 20_000);
        }
        LogTailer tailer = new LogTailer(settings(log), true, false, null);
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        Thread t = new Thread(() -> {
            try {
                tailer.run((line, pos) -> {
                    seen.add(TailHarness.number(line));
                    if (seen.size() % 50 == 0) Thread.sleep(1); // a sink slower than the file
                });
            } catch (Exception e) {
                seen.add(-1);
            }
        });
        t.start();
        for (int i = 0; i < 1000 && seen.size() < 3000; i++) Thread.sleep(10);
        tailer.close(); // as detect's shutdown hook does, from another thread
        t.join(5000);
        assertFalse(t.isAlive(), "run() must return after close()");
        int k = seen.size();
        assertTrue(k >= 3000 && k < 20_000, "processed " + k);
        assertEquals(offsetAfter(k), Checkpoint.load(dir.resolve("tail.state")).offset());
        try (Running r = Running.tail(settings(log), false, false)) {
            r.awaitLines(20_000 - k, WAIT);
            Thread.sleep(200);
            assertExactlyOnce(r.numbers(), k, 20_000);
            assertTrue(r.noticed("resuming from checkpoint at access.log:" + offsetAfter(k)), r.notices().toString());
        }
    }

    @Test
    void hookRunsBeforeEveryCheckpointSoABatchingSinkCanFlushFirst() throws Exception {
        Path log = dir.resolve("access.log");
        appendLines(log, 0, 500);
        List<Integer> pending = new ArrayList<>();
        List<Integer> flushed = new ArrayList<>();
        LogTailer tailer = new LogTailer(settings(log), true, true, null).beforeCheckpoint(() -> {
            flushed.addAll(pending); // what a batching sink would finish before its lines count as done
            pending.clear();
        });
        tailer.run((line, pos) -> pending.add(TailHarness.number(line)));
        assertEquals(List.of(), pending, "the final checkpoint came after a flush");
        assertEquals(IntStream.range(0, 500).boxed().toList(), flushed);
        assertEquals(offsetAfter(500), Checkpoint.load(dir.resolve("tail.state")).offset());
    }

    @Test
    void restartAfterTwoRotationsWhileStoppedFinishesTheOldFilesFirst() throws Exception {
        Path log = dir.resolve("access.log");
        appendLines(log, 0, 100);
        try (Running r = Running.tail(settings(log), true, false)) {
            r.awaitLines(100, WAIT);
        }
        appendLines(log, 100, 150);
        TailHarness.shift(log, 3);
        appendLines(log, 150, 200);
        TailHarness.shift(log, 3);
        appendLines(log, 200, 250);
        try (Running r = Running.tail(settings(log), false, false)) {
            r.awaitLines(150, WAIT);
            Thread.sleep(200);
            assertEquals(IntStream.range(100, 250).boxed().toList(), r.numbers());
            assertTrue(r.noticed("finishing access.log.2 from offset " + offsetAfter(100)), r.notices().toString());
            assertEquals("access.log.2:" + offsetAfter(100), r.positions().get(0));
            assertEquals("access.log.1:0", r.positions().get(50));
        }
    }

    @Test
    void restartAfterCopytruncateWhileStoppedReadsTheRestFromTheCopy() throws Exception {
        Path log = dir.resolve("access.log");
        try (FileOutputStream out = new FileOutputStream(log.toFile(), true)) {
            write(out, 0, 100);
            try (Running r = Running.tail(settings(log), true, false)) {
                r.awaitLines(100, WAIT);
            }
            write(out, 100, 150);
            LogTailerTest.copyTruncate(log, out, 3);
            write(out, 150, 200);
        }
        try (Running r = Running.tail(settings(log), false, false)) {
            r.awaitLines(100, WAIT);
            Thread.sleep(200);
            assertEquals(IntStream.range(100, 200).boxed().toList(), r.numbers());
            assertTrue(r.noticed("finishing access.log.1"), r.notices().toString());
        }
    }

    private static void appendLines(Path log, int from, int to) throws Exception {
        try (FileOutputStream out = new FileOutputStream(log.toFile(), true)) {
            write(out, from, to);
        }
    }

    @Test
    void sigkilledTailerRestartedWithItsStateFileLosesNothingAndRepeatsOnlyLinesAfterItsCheckpoint() throws Exception {
        Path log = dir.resolve("access.log");
        Path state = dir.resolve("tail.state");
        Files.createFile(log);
        AtomicInteger written = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            try (FileOutputStream out = new FileOutputStream(log.toFile(), true)) {
                for (int n = 0; !stop.get(); n += 4) {
                    write(out, n, n + 4);
                    written.set(n + 4);
                    Thread.sleep(2);
                }
            } catch (Exception e) {
                written.set(-1_000_000);
            }
        });
        writer.start();
        List<TailProbe.Handle> killed = killRepeatedly(log, state, 5);
        stop.set(true);
        writer.join();
        int total = written.get();
        appendLines(log, total, total + 10); // something after the last checkpoint, whenever the writer stopped
        total += 10;
        TailProbe.Handle clean = TailProbe.start(log, state);
        clean.awaitLast(total - 1);
        clean.stop(false); // SIGTERM: the shutdown hook closes the tailer, which writes its final checkpoint
        assertEquals("access.log:" + killed.get(killed.size() - 1).checkpointOffset, clean.positions.get(0));
        assertEquals(Files.size(log), Checkpoint.load(state).offset(), "clean exit checkpoints everything processed");
        appendLines(log, total, total + 20);
        TailProbe.Handle last = TailProbe.start(log, state);
        last.awaitLines(20);
        Thread.sleep(300);
        last.stop(true);
        assertEquals(IntStream.range(total, total + 20).boxed().toList(), last.numbers, "nothing repeated after a clean exit");
        assertNoneLostAndRepeatsOnlyAfterCheckpoints(killed, List.of(clean, last), total + 20);
    }

    /** Starts, SIGKILLs and restarts a probe {@code times} times; each restart must begin at the last checkpoint. */
    private static List<TailProbe.Handle> killRepeatedly(Path log, Path state, int times) throws Exception {
        Random rnd = new Random(7);
        List<TailProbe.Handle> killed = new ArrayList<>();
        long resumeAt = 0;
        for (int k = 0; k < times; k++) {
            TailProbe.Handle p = TailProbe.start(log, state);
            p.awaitLines(100);
            Thread.sleep(rnd.nextInt(1500)); // crash at various distances from the last checkpoint
            p.stop(true);
            assertEquals("access.log:" + resumeAt, p.positions.get(0), "run " + k + " must resume exactly at the checkpoint");
            Checkpoint cp = Checkpoint.load(state);
            p.checkpointOffset = cp == null ? 0 : cp.offset();
            resumeAt = p.checkpointOffset;
            killed.add(p);
        }
        return killed;
    }

    /** Every line in [0, total) seen; a line seen c times was after the final checkpoint of c - 1 killed runs. */
    private static void assertNoneLostAndRepeatsOnlyAfterCheckpoints(List<TailProbe.Handle> killed,
                                                                     List<TailProbe.Handle> others, int total) {
        Map<Integer, Integer> counts = new HashMap<>();
        Map<Integer, Integer> allowedRepeats = new HashMap<>();
        for (TailProbe.Handle p : killed) {
            for (int i = 0; i < p.numbers.size(); i++) {
                counts.merge(p.numbers.get(i), 1, Integer::sum);
                if (p.offsets.get(i) >= p.checkpointOffset) allowedRepeats.merge(p.numbers.get(i), 1, Integer::sum);
            }
        }
        for (TailProbe.Handle p : others) p.numbers.forEach(n -> counts.merge(n, 1, Integer::sum));
        for (int n = 0; n < total; n++) {
            int c = counts.getOrDefault(n, 0);
            int allowed = allowedRepeats.getOrDefault(n, 0);
            if (c == 0) fail("line " + n + " was lost");
            if (c - 1 > allowed) fail("line " + n + " was processed " + c + " times; only " + allowed + " killed run(s) had it after their checkpoint");
        }
    }
}
