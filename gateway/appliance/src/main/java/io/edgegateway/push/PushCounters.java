package io.edgegateway.push;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** The live counters behind a {@link PushCounts}; connections update them concurrently. */
final class PushCounters {

    private final AtomicLong accepted = new AtomicLong();
    private final Map<Refusal, AtomicLong> refused = new EnumMap<>(Refusal.class);
    private final AtomicReference<Instant> lastPush = new AtomicReference<>();

    PushCounters() {
        for (Refusal r : Refusal.values()) {
            refused.put(r, new AtomicLong()); // filled once: the map is only read afterwards
        }
    }

    void accepted(Instant at) {
        accepted.incrementAndGet();
        lastPush.set(at);
    }

    /** @return how many of this reason there have been, this one included */
    long refused(Refusal r) {
        return refused.get(r).incrementAndGet();
    }

    PushCounts snapshot() {
        Map<Refusal, Long> n = new EnumMap<>(Refusal.class);
        refused.forEach((r, c) -> n.put(r, c.get()));
        return new PushCounts(accepted.get(), n, Optional.ofNullable(lastPush.get()));
    }
}
