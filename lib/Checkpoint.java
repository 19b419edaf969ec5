// Checkpoint.java -- where the tailer got to: file identity and the offset after the last processed line.
package sentinel;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;

/**
 * A tailer's saved position: the followed log {@code file}, the identity of the file actually being read
 * ({@code fileKey}, the inode, plus a SHA-256 {@code fingerprint} of its first {@code fingerprintBytes} bytes,
 * because inodes are reused) and the {@code offset} just after the last line fully processed.
 */
public record Checkpoint(Path file, String fileKey, int fingerprintBytes, String fingerprint, long offset) {
    /** How many leading bytes identify a file: enough to span several timestamped log lines. */
    public static final int FINGERPRINT_MAX = 1024;

    public Checkpoint {
        if (file == null || fileKey == null || fingerprint == null) throw new IllegalArgumentException("null field");
        if (offset < 0 || fingerprintBytes < 0 || fingerprintBytes > Math.min(offset, FINGERPRINT_MAX)) {
            throw new IllegalArgumentException("inconsistent checkpoint: offset " + offset + ", fingerprint bytes " + fingerprintBytes);
        }
    }

    /** The checkpoint for a file whose first bytes are {@code head}, processed up to {@code offset}. */
    public static Checkpoint of(Path file, String fileKey, byte[] head, long offset) {
        int n = (int) Math.min(Math.min(head.length, offset), FINGERPRINT_MAX);
        return new Checkpoint(file, fileKey == null ? "" : fileKey, n, sha256(head, n), offset);
    }

    /** True when the file read by {@code ch} starts with the fingerprinted bytes and reaches {@code offset}. */
    public boolean sameContent(FileChannel ch) throws IOException {
        if (ch.size() < offset) return false;
        byte[] head = new byte[fingerprintBytes];
        ByteBuffer bb = ByteBuffer.wrap(head);
        while (bb.hasRemaining()) {
            if (ch.read(bb, bb.position()) <= 0) return false;
        }
        return sha256(head, fingerprintBytes).equals(fingerprint);
    }

    /** Loads the checkpoint in {@code stateFile}; null when there is none yet. */
    public static Checkpoint load(Path stateFile) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(stateFile, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | IllegalArgumentException e) {
            throw unreadable(stateFile, e.getMessage());
        }
        try {
            if (!"1".equals(p.getProperty("version"))) throw unreadable(stateFile, "unknown version " + p.getProperty("version"));
            return new Checkpoint(Path.of(required(p, "file")), required(p, "file_key"),
                    Integer.parseInt(required(p, "fingerprint_bytes")), required(p, "fingerprint"),
                    Long.parseLong(required(p, "offset")));
        } catch (IllegalArgumentException e) {
            throw unreadable(stateFile, e.getMessage());
        }
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) throw new IllegalArgumentException("missing " + key);
        return v.strip();
    }

    private static SentinelException unreadable(Path stateFile, String why) {
        return SentinelException.badInput("state file " + stateFile + " is not a readable checkpoint (" + why
                + "); delete it to start afresh");
    }

    /**
     * Writes this checkpoint to {@code stateFile} so that a crash at any moment leaves either the old or the new
     * one: write a temporary file beside it, fsync, rename over it atomically, fsync the directory.
     */
    public void save(Path stateFile) {
        Properties p = new Properties();
        p.setProperty("version", "1");
        p.setProperty("file", file.toString());
        p.setProperty("file_key", fileKey);
        p.setProperty("fingerprint_bytes", Integer.toString(fingerprintBytes));
        p.setProperty("fingerprint", fingerprint);
        p.setProperty("offset", Long.toString(offset));
        Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
        try {
            StringWriter w = new StringWriter();
            p.store(w, "sentinel log tailer checkpoint: delete this file to make detect start afresh");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bb = ByteBuffer.wrap(w.toString().getBytes(StandardCharsets.UTF_8));
                while (bb.hasRemaining()) ch.write(bb);
                ch.force(true);
            }
            Files.move(tmp, stateFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(stateFile.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw SentinelException.failure("cannot write state file " + stateFile + ": " + e.getMessage(), e);
        }
    }

    /** Makes the rename itself durable; not every platform can open a directory, and then the rename must do. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | RuntimeException e) {
            // best effort only
        }
    }

    /** Hex SHA-256 of {@code b[0, n)}. */
    static String sha256(byte[] b, int n) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(b, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
