package io.edgegateway.hub;

import java.util.Set;

/**
 * What a subscriber wants.
 *
 * @param meters   meter numbers; empty for all
 * @param points   point names; empty for all. A reading is delivered only when one of these points changed.
 * @param readings whether to deliver readings (and profile rows)
 * @param statuses whether to deliver status events
 * @param alerts   whether to deliver alert events
 */
public record SubscriptionFilter(Set<String> meters, Set<String> points, boolean readings, boolean statuses,
                                 boolean alerts) {

    public SubscriptionFilter {
        meters = Set.copyOf(meters);
        points = Set.copyOf(points);
    }

    /** A filter that delivers alerts with whatever readings and statuses it asks for. */
    public SubscriptionFilter(Set<String> meters, Set<String> points, boolean readings, boolean statuses) {
        this(meters, points, readings, statuses, true);
    }

    /** Only alerts, of the given meters (empty for all). */
    public static SubscriptionFilter alertsOf(Set<String> meters) {
        return new SubscriptionFilter(meters, Set.of(), false, false, true);
    }

    public boolean matches(HubEvent event) {
        if (!meters.isEmpty() && !meters.contains(event.meterNo())) {
            return false;
        }
        return switch (event) {
            case HubEvent.Data d -> readings && (points.isEmpty() || d.changed().stream().anyMatch(points::contains));
            case HubEvent.Status s -> statuses;
            // Rows of a meter's own memory are what a HES bills from: every reading stream carries them whole.
            case HubEvent.Interval i -> readings;
            // An alert on a point the client filtered out still concerns the meter it watches.
            case HubEvent.AlertState a -> alerts;
        };
    }
}
