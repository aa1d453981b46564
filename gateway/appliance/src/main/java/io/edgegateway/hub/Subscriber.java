package io.edgegateway.hub;

/** Where the hub hands events for one subscription. Called with the hub's lock held: must never block. */
public interface Subscriber {

    /**
     * Queues an event.
     *
     * @return false when the subscriber's queue is full; the hub then stops delivering to it
     */
    boolean offer(HubEvent event);
}
