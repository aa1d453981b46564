package io.edgegateway.hub;

import io.edgegateway.reading.Reading;
import io.edgegateway.reading.StatusReport;

/**
 * Sees every poll and every status report the hub is offered, whether it was published or not: on-change
 * filtering decides what subscribers are told, not what may be watched (a deadband must not hide a threshold
 * crossing). Called on the publishing thread after the hub's lock is released, so an observer may publish
 * itself; it must be quick and never block.
 */
public interface PollObserver {

    void polled(Reading reading);

    void reported(StatusReport report);
}
