package io.edgegateway.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The reading store ({@code storage:}).
 *
 * @param enabled        false: the gateway keeps nothing past its replay buffer
 * @param path           the SQLite file, default {@code <state-dir>/readings.db}
 * @param commitInterval events are committed in one transaction this often; zero: each event is committed before
 *                       any client sees it (no loss window, more latency and writes)
 * @param sync           how durable a commit is (SQLite's {@code synchronous}): NORMAL survives the gateway being
 *                       killed, FULL also a power cut
 * @param retention      events older than this are pruned
 * @param maxSize        the file is pruned, oldest first, to stay under this many bytes
 */
public record StorageConfig(boolean enabled, Path path, Duration commitInterval, Sync sync, Duration retention,
                            long maxSize) {

    /** SQLite's synchronous levels the gateway offers. */
    public enum Sync {
        /** A commit is durable once the operating system has it: survives the process dying, not a power cut. */
        NORMAL,
        /** Every commit is synced to the disk: survives a power cut, costs an fsync per commit. */
        FULL
    }

    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
    public static final long DEFAULT_MAX_SIZE = 1_000_000_000L;

    /** The defaults under {@code stateDir}. */
    public static StorageConfig defaults(Path stateDir) {
        return new StorageConfig(true, stateDir.resolve("readings.db"), DEFAULT_COMMIT_INTERVAL, Sync.NORMAL,
                DEFAULT_RETENTION, DEFAULT_MAX_SIZE);
    }

    /** No store. */
    public static StorageConfig disabled(Path stateDir) {
        return new StorageConfig(false, stateDir.resolve("readings.db"), DEFAULT_COMMIT_INTERVAL, Sync.NORMAL,
                DEFAULT_RETENTION, DEFAULT_MAX_SIZE);
    }
}
