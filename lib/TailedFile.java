// TailedFile.java -- one open file the tailer reads: its channel, identity, name shown, and progress.
package sentinel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Set;

/**
 * A file held open by {@link LogTailer}. Holding it open keeps its content readable after a rename or delete,
 * and keeps its inode number from being reused while it is being finished.
 */
final class TailedFile implements AutoCloseable {
    final FileChannel ch;
    final String key;
    /** Another file takes over at its end: it was rotated, or it is a generation read after a restart. */
    boolean rotated;
    /** Nothing more will be written to it (a copytruncate copy): switch away as soon as it is read. */
    boolean frozen;
    String name;
    /** {@code name + ":"}, prefixed to offsets in line positions. */
    String prefix;
    /** Offset just after the last line whose sink call returned. */
    long committed;
    /** Identities of the generations beside it when it was reopened after a copytruncate; null otherwise. */
    Set<String> copiesAtOpen;
    /** nanoTime of the last read that returned bytes. */
    long lastGrowth = System.nanoTime();
    private byte[] head;
    private final ByteBuffer probe = ByteBuffer.allocate(Checkpoint.FINGERPRINT_MAX);

    private TailedFile(FileChannel ch, String key, String name) throws IOException {
        this.ch = ch;
        this.key = key;
        this.head = RotatedFiles.readHead(ch, Checkpoint.FINGERPRINT_MAX);
        named(name);
    }

    /**
     * Opens {@code p}; null when it does not exist. The identity is stat-ed before and after opening, so a
     * rotation in between cannot pair the channel with another file's identity.
     */
    static TailedFile open(Path p) throws IOException {
        return open(p, null);
    }

    /** Opens {@code p} if it (still) is the file with identity {@code expectedKey} (null: any); else null. */
    static TailedFile open(Path p, String expectedKey) throws IOException {
        for (int attempt = 0; attempt < 5; attempt++) {
            RotatedFiles.Stat before = RotatedFiles.stat(p);
            if (before == null || expectedKey != null && !before.key().equals(expectedKey)) return null;
            FileChannel ch;
            try {
                ch = FileChannel.open(p, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                return null;
            }
            RotatedFiles.Stat after = RotatedFiles.stat(p);
            if (after != null && after.key().equals(before.key())) return new TailedFile(ch, before.key(), p.getFileName().toString());
            ch.close();
        }
        return null; // replaced again and again while being opened: treat it as missing for now
    }

    void named(String n) {
        name = n;
        prefix = n + ":";
    }

    byte[] head() {
        return head;
    }

    long size() throws IOException {
        return ch.size();
    }

    /** Extends the remembered first bytes while the file is shorter than a full fingerprint. */
    void refreshHead(long readUpTo) throws IOException {
        if (head.length < Checkpoint.FINGERPRINT_MAX && readUpTo > head.length) {
            byte[] longer = RotatedFiles.readHead(ch, (int) Math.min(readUpTo, Checkpoint.FINGERPRINT_MAX));
            // if the old head is no prefix, the file was just rewritten: keep it so rewritten() notices
            if (longer.length > head.length && Arrays.equals(longer, 0, head.length, head, 0, head.length)) head = longer;
        }
    }

    /**
     * Extends the remembered first bytes with what {@code s} just read, so they are the bytes processed, not
     * whatever the file holds a moment later (a truncation may come in between).
     */
    void extendHead(LineSplitter s) throws IOException {
        long want = Math.min(s.position(), Checkpoint.FINGERPRINT_MAX);
        if (head.length >= want) return;
        byte[] more = s.held(head.length, (int) (want - head.length));
        if (more == null) {
            refreshHead(s.position());
            return;
        }
        byte[] longer = Arrays.copyOf(head, head.length + more.length);
        System.arraycopy(more, 0, longer, head.length, more.length);
        head = longer;
    }

    /**
     * True when the file was truncated or rewritten in place (copytruncate): it is now shorter than what was
     * read, or its first bytes changed (truncated and refilled past the read position before we looked).
     */
    boolean rewritten(long readUpTo) throws IOException {
        if (ch.size() < readUpTo) return true;
        if (head.length == 0) return false;
        probe.clear().limit(head.length);
        while (probe.hasRemaining()) {
            if (ch.read(probe, probe.position()) <= 0) return true;
        }
        return !probe.flip().equals(ByteBuffer.wrap(head));
    }

    /** Starts over at offset 0 of the same file, forgetting its old content. */
    void restart() throws IOException {
        committed = 0;
        head = RotatedFiles.readHead(ch, Checkpoint.FINGERPRINT_MAX);
    }

    Checkpoint checkpoint(Path followed) {
        return Checkpoint.of(followed, key, head, committed);
    }

    @Override
    public void close() {
        try {
            ch.close();
        } catch (IOException e) {
            // a read-only channel has nothing to lose on close
        }
    }
}
