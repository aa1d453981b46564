package io.edgegateway.sparkplug;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A Sparkplug B payload.
 *
 * @param timestamp ms since the epoch
 * @param seq       0..255 on every message of a node but NDEATH, which has none
 * @param metrics   in order
 */
public record SparkplugPayload(long timestamp, OptionalInt seq, List<Metric> metrics) {

    public SparkplugPayload {
        metrics = List.copyOf(metrics);
        if (seq.isPresent() && (seq.getAsInt() < 0 || seq.getAsInt() > 255)) {
            throw new IllegalArgumentException("seq runs 0..255, got " + seq.getAsInt());
        }
    }

    public Optional<Metric> metric(String name) {
        return metrics.stream().filter(m -> m.name().equals(name)).findFirst();
    }
}
