package io.edgegateway.hub;

/**
 * A live subscription. Its cursor is the id of the newest event the hub has dealt with for it (delivered or
 * filtered out): a heartbeat may carry it as its id, because every earlier matching event is already queued.
 */
public final class Subscription {

    private final SubscriptionFilter filter;
    private final Subscriber subscriber;
    private volatile long cursor;
    private volatile boolean overflowed;

    Subscription(SubscriptionFilter filter, Subscriber subscriber, long cursor) {
        this.filter = filter;
        this.subscriber = subscriber;
        this.cursor = cursor;
    }

    public SubscriptionFilter filter() {
        return filter;
    }

    /** Read before checking the queue is empty; see the class comment. */
    public long cursor() {
        return cursor;
    }

    /** True once an offer failed: the subscriber fell too far behind and must be cut off. */
    public boolean overflowed() {
        return overflowed;
    }

    // Called under the hub lock: queue first, then move the cursor, so a reader that saw the cursor also sees the event.
    void deliver(HubEvent event) {
        if (overflowed) {
            return;
        }
        if (filter.matches(event) && !subscriber.offer(event)) {
            overflowed = true;
            return;
        }
        cursor = event.id();
    }
}
