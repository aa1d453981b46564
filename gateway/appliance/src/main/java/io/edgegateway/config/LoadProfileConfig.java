package io.edgegateway.config;

import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.cosem.StandardEvent;

import java.time.Duration;

/**
 * One Profile Generic a DLMS device reads: {@code load-profiles: [{obis, every, backfill}]}.
 *
 * @param obis     the profile's logical name (1.0.99.1.0.255, or an event log 0.0.99.98.0.255)
 * @param every    how often new rows are asked for (also at start-up)
 * @param backfill how far back the first read reaches when the store holds no row of this profile yet
 */
public record LoadProfileConfig(ObisCode obis, Duration every, Duration backfill) {

    /** An event log (0.b.99.98.e.f): rows are meter events, not intervals. */
    public boolean eventLog() {
        return StandardEvent.isEventLog(obis);
    }
}
