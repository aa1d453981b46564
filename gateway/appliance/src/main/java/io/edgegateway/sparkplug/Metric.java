package io.edgegateway.sparkplug;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One metric of a payload.
 *
 * @param name       the point's display name ({@code Node Control/Rebirth}, {@code bdSeq} for the node's own)
 * @param timestamp  when the value was read, ms since the epoch; 0 for none
 * @param type       its Sparkplug data type
 * @param value      the value, or {@link MetricValue.Null}
 * @param historical true for values replayed from the store after an outage, not live ones
 * @param properties string properties, such as {@code engUnit}; in order
 */
public record Metric(String name, long timestamp, DataType type, MetricValue value, boolean historical,
                     Map<String, String> properties) {

    public Metric {
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    public static Metric of(String name, long timestamp, DataType type, MetricValue value) {
        return new Metric(name, timestamp, type, value, false, Map.of());
    }
}
