package io.edgegateway.push;

import io.edgegateway.config.DlmsPushConfig;
import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.axdr.CosemDateTime;
import io.edgegateway.dlms.push.DataNotification;
import io.edgegateway.dlms.push.Push;
import io.edgegateway.dlms.push.PushDecoder;
import io.edgegateway.dlms.push.PushKeys;
import io.edgegateway.dlms.push.PushRefusedException;
import io.edgegateway.dlms.push.SystemTitle;
import io.edgegateway.dlms.security.Ciphering;
import io.edgegateway.hub.EventHub;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.reading.Reading;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Takes one pushed APDU at a time from any connection: deciphers it with the keys of the system title it names,
 * maps its values to that meter's points and publishes them as the meter's reading, timed by the notification's
 * date-time when it carries a valid one (else by the gateway's clock). Counts what it takes and what it refuses.
 * Thread-safe.
 */
final class PushReceiver {

    private static final Logger LOG = Logger.getLogger(PushReceiver.class.getName());
    /** Clock status bit 0: the meter says its time is invalid. */
    private static final int CLOCK_INVALID = 0x01;

    private record Meter(DlmsPushConfig.Device device, PushCounters counters) {
    }

    private final PushDecoder decoder;
    private final Map<SystemTitle, Meter> meters = new LinkedHashMap<>();
    private final PushCounters total = new PushCounters();
    private final EventHub hub;
    private final Clock clock;

    PushReceiver(DlmsPushConfig config, EventHub hub, Clock clock) {
        Map<SystemTitle, Ciphering> keys = new LinkedHashMap<>();
        for (DlmsPushConfig.Device d : config.devices()) {
            meters.put(d.systemTitle(), new Meter(d, new PushCounters()));
            keys.put(d.systemTitle(), d.keys());
        }
        // Every configured device has keys (the config refuses one without): no plain push is taken.
        this.decoder = new PushDecoder(PushKeys.of(keys), false);
        this.hub = hub;
        this.clock = clock;
    }

    /**
     * @param from the peer, for log lines
     * @return why it was refused, or empty when published
     */
    Optional<Refusal> receive(byte[] apdu, String from) {
        Push push;
        try {
            push = decoder.decode(apdu);
        } catch (PushRefusedException e) {
            Refusal r = Refusal.of(e.reason());
            refuse(r, e.sender().orElse(null), e.getMessage(), from);
            return Optional.of(r);
        }
        SystemTitle sender = push.sender().orElseThrow(); // plain pushes are refused by the decoder
        Meter m = meters.get(sender);
        String meterNo = m.device().meterNo();
        if (!hub.knows(meterNo)) {
            refuse(Refusal.UNKNOWN_METER, sender, "meter " + meterNo + " is not polled by this gateway", from);
            return Optional.of(Refusal.UNKNOWN_METER);
        }
        Map<Point, PointValue> values;
        try {
            values = m.device().layout().values(push.notification().body());
        } catch (MalformedException e) {
            refuse(Refusal.MALFORMED, sender, "push of meter " + meterNo + ": " + e.getMessage(), from);
            return Optional.of(Refusal.MALFORMED);
        }
        hub.publishReading(Reading.of(meterNo, time(push.notification()), values));
        Instant now = clock.instant();
        m.counters().accepted(now);
        total.accepted(now);
        return Optional.empty();
    }

    /** Counts a refusal; logs the 1st, 2nd, 4th, 8th... of each reason, so a flood cannot fill the log. */
    void refuse(Refusal r, SystemTitle sender, String why, String from) {
        long n = total.refused(r);
        Meter m = sender == null ? null : meters.get(sender);
        if (m != null) {
            m.counters().refused(r);
        }
        if (Long.bitCount(n) == 1) {
            LOG.warning("push from " + from + (m != null ? " (meter " + m.device().meterNo() + ")" : "")
                    + " refused, " + r.label() + ": " + why + " [" + n + " " + r.label() + " so far]");
        }
    }

    private Instant time(DataNotification n) {
        Optional<CosemDateTime> t = n.dateTime().filter(d -> d.clockStatus() == CosemDateTime.NOT_SPECIFIED
                || (d.clockStatus() & CLOCK_INVALID) == 0);
        if (t.isPresent()) {
            try {
                return t.get().toInstant();
            } catch (MalformedException e) {
                // a wildcard or impossible date: the arrival time is the best there is
            }
        }
        return clock.instant();
    }

    PushCounts total() {
        return total.snapshot();
    }

    List<PushHealth.MeterPushes> meters() {
        return meters.values().stream().map(m -> new PushHealth.MeterPushes(m.device().meterNo(),
                m.device().systemTitle().toString(), m.counters().snapshot())).toList();
    }
}
