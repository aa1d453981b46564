package io.edgegateway.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every path below a root with its type, mode, owner and content digest (not times): two snapshots are equal
 * when an installer run changed nothing that matters.
 */
record TreeSnapshot(Map<String, String> entries) {

    static TreeSnapshot of(Path root) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                out.put("/" + root.relativize(p), describe(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TreeSnapshot(out);
    }

    private static String describe(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
        String owner = a.get("uid") + ":" + a.get("gid");
        if (Files.isSymbolicLink(p)) {
            return "link -> " + Files.readSymbolicLink(p);
        }
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            return "dir " + mode + " " + owner;
        }
        return "file " + mode + " " + owner + " " + sha256(p);
    }

    private static String sha256(Path p) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Differences to {@code other}, one line per path, for a readable failure. */
    String diff(TreeSnapshot other) {
        StringBuilder b = new StringBuilder();
        TreeMap<String, String> union = new TreeMap<>(entries);
        union.putAll(other.entries);
        union.keySet().forEach(k -> {
            String x = entries.get(k);
            String y = other.entries.get(k);
            if (x == null || !x.equals(y)) {
                b.append(k).append(": ").append(x).append(" -> ").append(y).append('\n');
            }
        });
        return b.toString();
    }
}
