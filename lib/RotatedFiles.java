// RotatedFiles.java -- finds a followed log's rotated generations (access.log.1, access.log-2024...) by identity.
package sentinel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Identity and discovery of rotated files beside a followed log. A sibling is a regular file in the same
 * directory named {@code <log>.<suffix>}, {@code <log>-<suffix>} or {@code <log>_<suffix>}, not compressed
 * (a compressed generation can no longer be resumed by byte offset).
 */
final class RotatedFiles {
    private static final Pattern COMPRESSED = Pattern.compile(".*\\.(gz|bz2|xz|zst|zip|lz4|z|Z)$");
    private static final Pattern NUMBERED = Pattern.compile("\\.(\\d{1,4})$");

    private static final Comparator<Map.Entry<Path, Stat>> NEWEST_FIRST =
            Comparator.comparingLong((Map.Entry<Path, Stat> e) -> e.getValue().modifiedMillis()).reversed();

    /** What a stat tells the tailer: inode identity, size, and when it last changed. */
    record Stat(String key, long size, long modifiedMillis) {}

    private RotatedFiles() {}

    /** The file's identity and size, following symlinks; null when it does not exist. */
    static Stat stat(Path p) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            if (!a.isRegularFile()) return null;
            Object key = a.fileKey();
            // without inode keys (rare file systems) the creation time is the best stand-in
            String k = key != null ? key.toString() : "created:" + a.creationTime().toMillis();
            return new Stat(k, a.size(), a.lastModifiedTime().toMillis());
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * The rotated generations of {@code log} and their identities, listed until two listings agree, so that a
     * rotation in progress (a chain of renames) is not seen half done.
     */
    static Map<Path, Stat> snapshot(Path log) throws IOException {
        Map<Path, Stat> prev = list(log);
        for (int i = 0; i < 20; i++) {
            Map<Path, Stat> now = list(log);
            if (keys(now).equals(keys(prev))) return now;
            prev = now;
        }
        return prev;
    }

    private static Map<Path, String> keys(Map<Path, Stat> m) {
        Map<Path, String> k = new TreeMap<>();
        m.forEach((p, s) -> k.put(p, s.key()));
        return k;
    }

    private static Map<Path, Stat> list(Path log) throws IOException {
        Path dir = log.getParent();
        String base = log.getFileName().toString();
        Map<Path, Stat> out = new TreeMap<>();
        if (dir == null || !Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.length() <= base.length() + 1 || !n.startsWith(base)) continue;
                char sep = n.charAt(base.length());
                if (sep != '.' && sep != '-' && sep != '_' || COMPRESSED.matcher(n).matches()) continue;
                Stat s = stat(p);
                if (s != null) out.put(p, s);
            }
        }
        return out;
    }

    /** The name the file with inode identity {@code key} has now, or null. */
    static Path findByKey(Path log, String key) throws IOException {
        for (Map.Entry<Path, Stat> e : snapshot(log).entrySet()) {
            if (e.getValue().key().equals(key)) return e.getKey();
        }
        return null;
    }



    /**
     * Opens the file a checkpoint was taken in: the generation with its inode and content, or else one with its
     * content only (a copy made by copytruncate); null when no such file is left.
     */
    static TailedFile openCheckpointed(Path log, Checkpoint cp) throws IOException {
        TailedFile same = first(log, null, s -> s.key().equals(cp.fileKey()) && s.size() >= cp.offset(),
                t -> cp.sameContent(t.ch));
        if (same != null || cp.fingerprintBytes() == 0) return same;
        return first(log, null, s -> s.size() >= cp.offset(), t -> cp.sameContent(t.ch));
    }

    /** Opens the newest generation starting with {@code head} and at least {@code minSize} long, other than {@code notKey}. */
    static TailedFile openCopy(Path log, byte[] head, long minSize, String notKey) throws IOException {
        return first(log, NEWEST_FIRST, s -> !s.key().equals(notKey) && s.size() >= minSize,
                t -> Arrays.equals(readHead(t.ch, head.length), head));
    }

    /**
     * Opens the oldest generation not in {@code known} (see {@link #identities}) that is a copy of content
     * {@code live} no longer starts with, so the truncation that followed the copy has happened; else null.
     */
    static TailedFile openNewCopy(Path log, Set<String> known, FileChannel live) throws IOException {
        return first(log, NEWEST_FIRST.reversed(), s -> s.size() > 0, t -> !known.contains(identity(t))
                && !Arrays.equals(readHead(live, t.head().length), t.head()));
    }

    /** A test on an opened generation. */
    private interface Check {
        boolean test(TailedFile t) throws IOException;
    }

    /**
     * Opens the generations {@code worth} a look, in {@code order}, until {@code accept} keeps one; lists them
     * again when one was renamed between listing and opening (a rotation in progress), so none is missed.
     */
    private static TailedFile first(Path log, Comparator<Map.Entry<Path, Stat>> order, Predicate<Stat> worth,
                                    Check accept) throws IOException {
        for (int attempt = 0; attempt < 10; attempt++) {
            List<Map.Entry<Path, Stat>> list = new ArrayList<>(snapshot(log).entrySet());
            if (order != null) list.sort(order);
            boolean moved = false;
            for (Map.Entry<Path, Stat> e : list) {
                if (!worth.test(e.getValue())) continue;
                TailedFile t = TailedFile.open(e.getKey(), e.getValue().key());
                if (t == null) {
                    moved = true;
                } else if (accept.test(t)) {
                    return t;
                } else {
                    t.close();
                }
            }
            if (!moved) return null;
        }
        return null;
    }

    /**
     * Identities of the generations beside {@code log} now: inode plus a hash of the first bytes, because a copy
     * deleted by the next rotation frees an inode number the copy after it often gets.
     */
    static Set<String> identities(Path log) throws IOException {
        Set<String> ids = new HashSet<>();
        for (int attempt = 0; attempt < 10; attempt++) {
            ids.clear();
            boolean stable = true;
            for (Map.Entry<Path, Stat> e : snapshot(log).entrySet()) {
                TailedFile t = TailedFile.open(e.getKey(), e.getValue().key());
                if (t == null) {
                    stable = false; // renamed meanwhile: list again rather than miss it
                    break;
                }
                ids.add(identity(t));
                t.close();
            }
            if (stable) break;
        }
        return ids;
    }

    /** Inode plus a hash of the first bytes: what tells a generation apart even when its inode number is reused. */
    static String identity(TailedFile t) {
        return t.key + "|" + Checkpoint.sha256(t.head(), t.head().length);
    }


    /**
     * Opens the numbered generations rotated after the file with inode {@code anchorKey}: for {@code <log>.K},
     * {@code <log>.(K-1)} ... {@code <log>.1}, oldest first. Retried if a rotation renames them meanwhile.
     */
    static List<TailedFile> openNewer(Path log, String anchorKey) throws IOException {
        for (int attempt = 0; attempt < 10; attempt++) {
            Map<Path, Stat> snap = snapshot(log);
            Path anchor = snap.entrySet().stream().filter(e -> e.getValue().key().equals(anchorKey))
                    .map(Map.Entry::getKey).findFirst().orElse(null);
            List<TailedFile> opened = new ArrayList<>();
            boolean stable = true;
            for (Path p : newerGenerations(log, anchor)) {
                Stat s = snap.get(p);
                if (s == null) continue; // a gap: that generation was deleted
                TailedFile t = TailedFile.open(p, s.key());
                if (t == null) {
                    stable = false;
                    break;
                }
                opened.add(t);
            }
            if (stable) return opened;
            opened.forEach(TailedFile::close);
        }
        return List.of();
    }

    /** For a generation named {@code <log>.K}, the names {@code <log>.(K-1)} ... {@code <log>.1}; else none. */
    private static List<Path> newerGenerations(Path log, Path found) {
        List<Path> out = new ArrayList<>();
        if (found == null) return out;
        String base = log.getFileName().toString();
        Matcher m = NUMBERED.matcher(found.getFileName().toString());
        if (!found.getFileName().toString().startsWith(base + ".") || !m.find() || m.start() != base.length()) return out;
        for (int k = Integer.parseInt(m.group(1)) - 1; k >= 1; k--) out.add(log.resolveSibling(base + "." + k));
        return out;
    }

    /** Up to {@code n} leading bytes of the file (fewer if it is shorter). */
    static byte[] readHead(FileChannel ch, int n) throws IOException {
        ByteBuffer bb = ByteBuffer.allocate(n);
        while (bb.hasRemaining()) {
            if (ch.read(bb, bb.position()) <= 0) break;
        }
        return Arrays.copyOf(bb.array(), bb.position());
    }
}
