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

    /**
     * Every event up to this id that the log will ever hold is in it: a replay beyond it may miss events still on
     * their way (a store behind its queue, or failing).
     */
    default long durableUpTo() {
        return Long.MAX_VALUE;
    }

    /**
     * The id of the {@code n}-th event after {@code afterId}, or {@code upToId} if fewer lie in between: where a
     * reader that takes {@code n} events at a time should stop (ids jump between runs, so an id range says nothing
     * of how many events it holds).
     */
    default long nthAfter(long afterId, long upToId, int n) {
        return upToId;
    }

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
     * Saves how far {@code reader} got; a cursor never moves back. Must not block: the store keeps the newest value
     * and writes it with its next commit (or within a second when no event comes), so after a crash it is at most
     * one commit interval behind.
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
