package io.edgegateway.hub;

import java.io.IOException;
import java.util.OptionalLong;

/**
 * Where the hub records what it publishes, so that a client can resume from further back than the replay buffer
 * reaches, across restarts. The reading store implements it; without one the hub keeps only its buffer.
 */
public interface EventLog {

    /** A hub that records nothing. */
    EventLog NONE = new EventLog() {
        @Override
        public void append(HubEvent event) {
        }

        @Override
        public OptionalLong replayableAfter() {
            return OptionalLong.empty();
        }

        @Override
        public void replay(long afterId, long upToId, SubscriptionFilter filter, Replay sink) {
        }
    };

    /** How many events the log holds with ids in ({@code afterId}, {@code upToId}]. */
    default long count(long afterId, long upToId) {
        return 0;
    }

    /**
     * How far a named reader of the log (the MQTT uplink) got, as last saved with {@link #saveCursor}; empty for a
     * reader never saved, or a log that keeps nothing.
     */
    default OptionalLong cursor(String reader) {
        return OptionalLong.empty();
    }

    /**
     * Saves how far {@code reader} got. Must not block: the store keeps the newest value and writes it with its next
     * commit, so a cursor costs no writes of its own and is, after a crash, at most one commit interval behind.
     */
    default void saveCursor(String reader, long id) {
    }

    /**
     * Records a published event. Called with the hub's lock held, in id order: must not block, except when the
     * store is told to commit every event before clients see it.
     */
    void append(HubEvent event);

    /** The id after which every event can be replayed from the log (its oldest kept event's id minus one). */
    OptionalLong replayableAfter();

    /**
     * Streams the recorded events with ids in ({@code afterId}, {@code upToId}] that match {@code filter}, in id
     * order, and the gaps in that range: ids the gateway published but could not record (a crash between two
     * commits, a disk that could not keep up).
     */
    void replay(long afterId, long upToId, SubscriptionFilter filter, Replay sink) throws IOException;

    /** Receives a replay. */
    interface Replay {
        void event(HubEvent event) throws IOException;

        /** Events {@code fromId}..{@code toId} (inclusive) were published but are not in the log. */
        void gap(long fromId, long toId, String why) throws IOException;
    }
}
