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
 */
public record Attachment(Subscription subscription, List<HubEvent> backlog, Resume resume, long position) {

    public enum Resume {
        /** No Last-Event-ID: the backlog is the current snapshot. */
        NONE,
        /** Every event after Last-Event-ID was still buffered: the backlog is exactly what was missed. */
        RESUMED,
        /** Last-Event-ID is older than the buffer (or unknown): events were lost, the backlog is a fresh snapshot. */
        GAP
    }
}
