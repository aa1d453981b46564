package io.edgegateway.hub;

import java.util.List;

/**
 * What a new subscriber gets: the live subscription and the events to send before live ones.
 *
 * @param subscription the live subscription; events after {@code backlog} arrive through its subscriber
 * @param backlog      the snapshot (fresh start or gap) or the missed events (resume), in order
 * @param resume       how the requested resume point was handled
 * @param position     the id the client is at before the backlog: its Last-Event-ID when resumed, the snapshot's
 *                     id otherwise. Frames sent ahead of the backlog ({@code connected}, a gap notice) carry it, so
 *                     a client that drops right after them resumes without losing the backlog.
 * @param logged       when resumed from further back than the replay buffer: the ids to replay from the
 *                     {@link EventLog} before {@code backlog}; null otherwise
 */
public record Attachment(Subscription subscription, List<HubEvent> backlog, Resume resume, long position,
                         Logged logged) {

    /** Events in ({@code afterId}, {@code upToId}] come from the event log. */
    public record Logged(EventLog log, long afterId, long upToId) {
    }

    public enum Resume {
        /** No Last-Event-ID: the backlog is the current snapshot. */
        NONE,
        /**
         * Every event after Last-Event-ID is buffered or logged: what was missed follows exactly ({@code logged},
         * then {@code backlog}), with a notice for any id the log says it lost.
         */
        RESUMED,
        /** Last-Event-ID is older than buffer and log (or unknown): the backlog is a fresh snapshot. */
        GAP
    }
}
