package io.edgegateway.uplink;

import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Which event ids the broker has acknowledged, and so how far the persisted cursor may move: to the newest id
 * before which every event was acknowledged (or needs no message). Live events published between drain slices are
 * acknowledged ahead of the cursor; they count once the backlog behind them is done, so a crash mid-drain resends
 * them (at least once) rather than skipping the backlog. Called from the uplink's thread and the MQTT client's
 * callbacks.
 */
final class AckLedger {

    /** Published and not yet acknowledged: id to the event's time (ms), for the age of the oldest unsent. */
    private final TreeMap<Long, Long> unacked = new TreeMap<>();
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

    synchronized void published(long id, long eventMillis) {
        unacked.put(id, eventMillis);
    }

    /** @return the cursor after it */
    synchronized long acked(long id) {
        unacked.remove(id);
        return advance();
    }

    /** Backlog events up to {@code id} are published or need none (a gap, an id no run used). */
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

    /** The time of the oldest event published and not acknowledged. */
    synchronized OptionalLong oldestUnacked() {
        return unacked.isEmpty() ? OptionalLong.empty() : OptionalLong.of(unacked.firstEntry().getValue());
    }

    private long advance() {
        long c = unacked.isEmpty() ? horizon : Math.min(horizon, unacked.firstKey() - 1);
        cursor = Math.max(cursor, c);
        return cursor;
    }
}
