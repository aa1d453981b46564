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
 * @param auditMaxRows   the audit trail keeps its newest this many rows: refusals are audited too, and a caller
 *                       repeating one must not fill the disk
 */
public record StorageConfig(boolean enabled, Path path, Duration commitInterval, Sync sync, Duration retention,
                            long maxSize, int auditMaxRows) {

    /** With the default {@link #DEFAULT_AUDIT_MAX_ROWS}. */
    public StorageConfig(boolean enabled, Path path, Duration commitInterval, Sync sync, Duration retention,
                         long maxSize) {
        this(enabled, path, commitInterval, sync, retention, maxSize, DEFAULT_AUDIT_MAX_ROWS);
    }

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
    /** About 30 MB of rows: years of real writes, hours of a scripted loop of refusals. */
    public static final int DEFAULT_AUDIT_MAX_ROWS = 100_000;

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
