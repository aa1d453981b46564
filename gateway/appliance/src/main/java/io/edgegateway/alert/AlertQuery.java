package io.edgegateway.alert;

import java.time.Instant;

/**
 * Which occurrences {@code GET /api/alerts} asks for: raised in [from, to), newest first.
 *
 * @param activeOnly only those not cleared
 * @param from       earliest raise time, inclusive, or null
 * @param to         latest raise time, exclusive, or null
 * @param meterNo    one meter's, or null for all
 * @param limit      at most this many
 */
public record AlertQuery(boolean activeOnly, Instant from, Instant to, String meterNo, int limit) {

    public boolean matches(Occurrence o) {
        return (!activeOnly || o.active()) && (from == null || !o.raised().isBefore(from))
                && (to == null || o.raised().isBefore(to)) && (meterNo == null || meterNo.equals(o.meterNo()));
    }
}
