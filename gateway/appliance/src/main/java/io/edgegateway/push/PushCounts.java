package io.edgegateway.push;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Pushes taken and refused, overall or of one meter.
 *
 * @param accepted pushes published as readings
 * @param refused  refusals by reason, every reason present
 * @param lastPush when the last accepted push arrived (the gateway's clock)
 */
public record PushCounts(long accepted, Map<Refusal, Long> refused, Optional<Instant> lastPush) {

    public PushCounts {
        refused = Map.copyOf(refused);
    }

    public long refused(Refusal r) {
        return refused.getOrDefault(r, 0L);
    }

    public long refusedTotal() {
        return refused.values().stream().mapToLong(Long::longValue).sum();
    }
}
