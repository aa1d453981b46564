package io.edgegateway.hub;

import java.util.List;

/**
 * What a new subscriber gets: the live subscription and the events to send before live ones.
 *
 * @param subscription the live subscription; events after {@code backlog} arrive through its subscriber
 * @param backlog      the snapshot (fresh start or gap) or the missed events (resume), in order
 * @param resume       how the requested resume point was handled
 */
public record Attachment(Subscription subscription, List<HubEvent> backlog, Resume resume) {

    public enum Resume {
        /** No Last-Event-ID: the backlog is the current snapshot. */
        NONE,
        /** Every event after Last-Event-ID was still buffered: the backlog is exactly what was missed. */
        RESUMED,
        /** Last-Event-ID is older than the buffer (or unknown): events were lost, the backlog is a fresh snapshot. */
        GAP
    }
}
