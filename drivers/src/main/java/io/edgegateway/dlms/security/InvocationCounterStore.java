package io.edgegateway.dlms.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;

/**
 * The client's invocation counters, one small file per key and system title under a state directory, so that a
 * counter survives a restart and is never used twice (a meter rejects a counter it has already seen, and reusing
 * one with the same key breaks AES-GCM).
 *
 * <p>Counters are reserved ahead in blocks: the file always holds a value no counter handed out has reached yet, and
 * is rewritten (write to a temporary file, fsync, atomic rename, fsync the directory) before the block runs out. A
 * crash loses at most one block of unused numbers, never reuses one. A block is reserved under an exclusive lock
 * on a lock file beside the counter, reading the stored value again inside the lock, so processes sharing the
 * directory (the service and a field tool) draw disjoint blocks.
 */
public final class InvocationCounterStore {

    /** Counters reserved per file write: bounds the writes to one per this many APDUs. */
    static final long RESERVE = 64;

    private final Path directory;

    public InvocationCounterStore(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    /**
     * The counter for one meter.
     *
     * @param meterKey names the meter and client, e.g. {@code 10.0.0.5_4059_s1_c48}; anything outside
     *                 {@code [A-Za-z0-9._-]} becomes '_' in the file name
     */
    public Counter counter(String meterKey) {
        String safe = meterKey.replaceAll("[^A-Za-z0-9._-]", "_");
        return new Counter(directory.resolve(safe + ".ic"));
    }

    /** One meter's counter. Thread-safe. */
    public static final class Counter {

        private final Path file;
        private long next = -1;
        private long reservedUpTo;

        Counter(Path file) {
            this.file = file;
        }

        public Path file() {
            return file;
        }

        /**
         * Hands out the next counter value.
         *
         * @throws UncheckedIOException when the state cannot be written: sending with a counter that is not
         *                              safely persisted could reuse it after a restart
         */
        public synchronized long next() {
            if (next < 0) {
                next = stored();
                reservedUpTo = next;
            }
            if (next >= 0xFFFF_FFFFL) {
                throw new IllegalStateException("invocation counter exhausted for " + file.getFileName()
                        + ": the meter's keys must be changed");
            }
            if (next >= reservedUpTo) {
                reserveBlock();
            }
            return next++;
        }

        /** The value {@link #next()} would hand out now (reads the file on first use). */
        public synchronized long peek() {
            return next < 0 ? stored() : next;
        }

        /** Moves the counter forward to at least {@code value} (e.g. after reading the meter's expectation). */
        public synchronized void advanceTo(long value) {
            if (next < 0) {
                next = stored();
                reservedUpTo = next;
            }
            if (value > next) {
                next = value;
            }
        }

        private long stored() {
            try {
                if (!Files.exists(file)) {
                    return 1;
                }
                String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
                return Long.parseLong(text);
            } catch (IOException | NumberFormatException e) {
                throw new UncheckedIOException("cannot read invocation counter " + file
                        + " (fix or delete it only if the meter's keys were changed)",
                        e instanceof IOException io ? io : new IOException(e.getMessage()));
            }
        }

        /** Takes the next block: under the file lock, from whichever is further, our position or the file's. */
        private void reserveBlock() {
            try {
                Files.createDirectories(file.getParent());
                Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
                // File locks exclude other processes; threads of this JVM holding counters of the same file (two
                // meters under one key) must also take turns, or the second lock() throws. The interned path is
                // the JVM-wide monitor for that file.
                synchronized (lockFile.toAbsolutePath().normalize().toString().intern()) {
                    try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE); FileLock lock = lockChannel.lock()) {
                        next = Math.max(next, stored());
                        reservedUpTo = Math.min(0xFFFF_FFFFL, next + RESERVE);
                        write(reservedUpTo);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot reserve invocation counters in " + file, e);
            }
        }

        private void write(long value) {
            try {
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    ch.write(java.nio.ByteBuffer.wrap((value + "\n").getBytes(StandardCharsets.US_ASCII)));
                    ch.force(true);
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
                // The rename is only durable once the directory is: a power cut must not bring the old value back.
                try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                    dir.force(true);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot persist invocation counter " + file, e);
            }
        }
    }
}
