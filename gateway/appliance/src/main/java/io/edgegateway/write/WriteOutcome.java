package io.edgegateway.write;

import jakarta.json.JsonValue;

/** What became of a write. */
public sealed interface WriteOutcome {

    /**
     * The device took it; {@code value} is what it holds when read back afterwards.
     *
     * @param value the read-back value as JSON (a number, or a boolean for a coil)
     * @param shown the read-back value as readings show it, e.g. "55.0 °C"
     */
    record Written(String meterNo, String point, JsonValue previous, JsonValue value, String shown)
            implements WriteOutcome {
    }

    /**
     * Refused before or by the device.
     *
     * @param httpStatus the answer's status: 400 bad value, 403 not allowed, 404 unknown meter or point,
     *                   409 not writable or device disconnected, 502 device exception, 504 device timeout
     * @param code       a stable machine-readable code, e.g. "out-of-range", "device-exception"
     */
    record Refused(int httpStatus, String code, String message) implements WriteOutcome {
    }
}
