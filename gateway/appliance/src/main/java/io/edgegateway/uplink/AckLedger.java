package io.edgegateway.uplink;

import java.util.TreeSet;

/**
 * Which event ids the broker has acknowledged, and so how far the persisted cursor may move: to the newest id
 * before which every event was acknowledged (or needs no message). Live events published between drain slices are
 * acknowledged ahead of the cursor; they count once the backlog behind them is done, so a crash mid-drain resends
 * them (at least once) rather than skipping the backlog.
 */
final class AckLedger {

    private final TreeSet<Long> unacked = new TreeSet<>();
    private long cursor;
    /** Every id up to here was published or needs no message, in the order that counts for the cursor. */
    private long horizon;
    private long newestLive;
    private boolean draining = true;

    AckLedger(long cursor) {
        this.cursor = cursor;
        this.horizon = cursor;
        this.newestLive = cursor;
    }

    synchronized void published(long id) {
        unacked.add(id);
    }

    /** @return the cursor after it */
    synchronized long acked(long id) {
        unacked.remove(id);
        return advance();
    }

    /** Backlog events up to {@code id} are published or need none (a gap, a filtered event). */
    synchronized long backlogUpTo(long id) {
        horizon = Math.max(horizon, id);
        return advance();
    }

    /** A live event was dealt with (published, or nothing to send for it). */
    synchronized long live(long id) {
        newestLive = Math.max(newestLive, id);
        if (!draining) {
            horizon = Math.max(horizon, id);
        }
        return advance();
    }

    synchronized long backlogDone() {
        draining = false;
        horizon = Math.max(horizon, newestLive);
        return advance();
    }

    synchronized long cursor() {
        return cursor;
    }

    synchronized int inFlight() {
        return unacked.size();
    }

    private long advance() {
        long c = unacked.isEmpty() ? horizon : Math.min(horizon, unacked.first() - 1);
        cursor = Math.max(cursor, c);
        return cursor;
    }
}
