package io.edgegateway.sparkplug;

import java.util.List;
import java.util.Optional;

/**
 * A Sparkplug B payload.
 *
 * @param timestamp ms since the epoch
 * @param seq       0..255 on every message of a node but NDEATH, which has none
 * @param metrics   in order
 */
public record SparkplugPayload(long timestamp, Optional<Integer> seq, List<Metric> metrics) {

    public SparkplugPayload {
        metrics = List.copyOf(metrics);
        if (seq.isPresent() && (seq.get() < 0 || seq.get() > 255)) {
            throw new IllegalArgumentException("seq runs 0..255, got " + seq.get());
        }
    }

    public Optional<Metric> metric(String name) {
        return metrics.stream().filter(m -> m.name().equals(name)).findFirst();
    }
}
