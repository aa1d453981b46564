package io.edgegateway.reading;

import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.cosem.StandardEvent;

/**
 * One row of a meter's Profile Generic buffer: an interval of a load profile, or an event of an event log. Its
 * reading is stamped with the meter's capture time (converted to UTC), not with when the gateway read it.
 *
 * @param profile the Profile Generic's logical name, {@code 1.0.99.1.0.255}
 * @param ordinal which of the rows captured at the same time this is (0 for the first): an event log may log
 *                several events in one second; a load profile has one row per time
 * @param reading the row's columns as named values, timestamp = capture time
 */
public record ProfileEntry(String profile, int ordinal, Reading reading) {

    /** What a row is, and the SSE event name it streams under. */
    public enum Kind {
        INTERVAL("interval-data"),
        METER_EVENT("meter-event");

        private final String eventName;

        Kind(String eventName) {
            this.eventName = eventName;
        }

        public String eventName() {
            return eventName;
        }
    }

    public Kind kind() {
        return StandardEvent.isEventLog(ObisCode.parse(profile)) ? Kind.METER_EVENT : Kind.INTERVAL;
    }

    public String meterNo() {
        return reading.meterNo();
    }
}
