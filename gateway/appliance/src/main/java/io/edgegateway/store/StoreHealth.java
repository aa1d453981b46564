package io.edgegateway.store;

/**
 * How the store is doing, for {@code /health}, {@code /metrics} and the log.
 *
 * @param state          OK, DEGRADED (writing, but behind or dropping), ERROR (cannot write), DISABLED
 * @param reason         why, when not OK; names the file
 * @param path           the SQLite file
 * @param queued         events waiting to be written
 * @param committedId    the newest event id that is on disk, 0 if none
 * @param written        events written since start
 * @param valuesWritten  point values those events stored (a reading stores the values that moved, and all of them
 *                       every 64th reading)
 * @param dropped        events that could not be kept (queue full, disk failing) since start
 * @param fileBytes      size of the file and its write-ahead log
 * @param commits        transactions committed since start
 * @param commitSeconds  time spent committing, in total
 * @param oldestId       the oldest event kept, 0 if none
 */
public record StoreHealth(State state, String reason, String path, int queued, long committedId, long written,
                          long valuesWritten, long dropped, long fileBytes, long commits, double commitSeconds, long oldestId) {

    public enum State { OK, DEGRADED, ERROR, DISABLED }
}
