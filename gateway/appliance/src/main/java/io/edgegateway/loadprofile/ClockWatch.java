package io.edgegateway.loadprofile;

import io.edgegateway.config.ClockPolicy;
import io.edgegateway.device.DeviceException;
import io.edgegateway.dlms.client.DlmsMeter;
import io.edgegateway.dlms.cosem.ClockReading;
import io.edgegateway.poll.LineTask;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Reads a meter's clock (class 8) every {@code check}: its drift from the gateway's clock shows in the device's
 * status. When the policy allows (HLS associations only, checked at load) and the drift exceeds the threshold, the
 * meter's clock is set to the gateway's and read again to confirm. The gateway's clock is trusted: keep it on NTP.
 */
public final class ClockWatch implements LineTask {

    private static final Logger LOG = Logger.getLogger(ClockWatch.class.getName());

    private final String meterNo;
    private final DlmsMeter meter;
    private final ClockPolicy policy;
    private final Clock clock;
    private ClockReading lastReading;
    private Instant lastSync;
    private Duration driftBeforeSync;
    private long syncs;

    public ClockWatch(String meterNo, DlmsMeter meter, ClockPolicy policy, Clock clock) {
        this.meterNo = meterNo;
        this.meter = meter;
        this.policy = policy;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "clock";
    }

    @Override
    public Duration every() {
        return policy.check();
    }

    @Override
    public boolean run(Instant now) throws DeviceException {
        ClockReading r = meter.readClock(clock);
        remember(r);
        Duration drift = r.drift();
        if (policy.syncs() && drift.abs().compareTo(policy.syncThreshold()) > 0) {
            meter.setClock(clock.instant(), r.meterTime().deviation());
            ClockReading after = meter.readClock(clock);
            synchronized (this) {
                lastSync = clock.instant();
                driftBeforeSync = drift;
                syncs++;
            }
            remember(after);
            LOG.info(() -> "meter " + meterNo + ": clock was " + seconds(drift) + " s off; set to the gateway's, now "
                    + seconds(after.drift()) + " s");
        }
        return false;
    }

    private synchronized void remember(ClockReading r) {
        lastReading = r;
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%+.1f", d.toMillis() / 1000.0);
    }

    @Override
    public synchronized Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        if (lastReading != null) {
            d.put("meterTime", lastReading.meterTime().toIso());
            d.put("driftSeconds", lastReading.drift().toMillis() / 1000.0);
            d.put("clockStatus", lastReading.status());
            d.put("checkedAt", lastReading.readAt());
        }
        d.put("sync", policy.syncs() ? "when drift exceeds " + policy.syncThreshold().toSeconds() + " s" : "off");
        d.put("syncs", syncs);
        if (lastSync != null) {
            d.put("lastSync", lastSync);
            d.put("driftBeforeSyncSeconds", driftBeforeSync.toMillis() / 1000.0);
        }
        return d;
    }
}
