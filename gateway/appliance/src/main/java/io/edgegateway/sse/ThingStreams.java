package io.edgegateway.sse;

import io.edgegateway.hub.SubscriptionFilter;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Set;

/**
 * The W3C WoT streams of {@code /api/things} (docs/api.md, "Thing Descriptions"), on the same admission, queues,
 * slow-client cut-off, hang-up watch and resume as the {@code /api/sse} streams. They are bare: each event is
 * unnamed and its data is exactly what the affordance's schema describes; the rest is SSE comments. The caller
 * has checked the meter and the point.
 */
public final class ThingStreams {

    private final SseEndpoints streams;

    public ThingStreams(SseEndpoints streams) {
        this.streams = streams;
    }

    /** {@code observeproperty}: the point's current value, then its value each time it changed. */
    public void property(ServerRequest req, ServerResponse res, String meterNo, String pointName) {
        Set<String> point = Set.of(pointName);
        streams.open(req, res, StreamKind.THING_PROPERTY, meterNo + "/" + pointName, SseEndpoints.ownAudience(req),
                new StreamFormat(point, false, false),
                new SubscriptionFilter(Set.of(meterNo), point, true, false, false));
    }

    /** {@code subscribeevent} of {@code alert}: the meter's alert states as they happen. */
    public void alerts(ServerRequest req, ServerResponse res, String meterNo) {
        streams.open(req, res, StreamKind.THING_ALERT, meterNo, SseEndpoints.ownAudience(req),
                new StreamFormat(Set.of(), false, false), SubscriptionFilter.alertsOf(Set.of(meterNo)));
    }

    /** {@code subscribeevent} of {@code status}: the meter's current status, then its transitions. */
    public void statuses(ServerRequest req, ServerResponse res, String meterNo) {
        streams.open(req, res, StreamKind.THING_STATUS, meterNo, SseEndpoints.ownAudience(req),
                new StreamFormat(Set.of(), false, false), new SubscriptionFilter(Set.of(meterNo), Set.of(), false, true,
                        false));
    }
}
