package io.edgegateway.poll;

import io.edgegateway.device.DeviceException;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Work a device's bus thread does besides polling points, on a schedule of its own: reading a DLMS load
 * profile, checking a meter's clock. It runs between polls, on the same line, never beside them. A failure backs
 * the task off as a failing poll group is, without touching the device's status.
 */
public interface LineTask {

    /** What it is, in the device's status: "load profile 1.0.99.1.0.255", "clock". */
    String name();

    /** How often it runs; it also runs once shortly after start-up. */
    Duration every();

    /**
     * Runs once on the bus thread.
     *
     * @return true when there is more to do at once (a catch-up read in chunks, so that polls of the line get
     *         their turn between chunks); false when done until {@link #every()} has passed
     */
    boolean run(Instant now) throws DeviceException;

    /** What the task knows, for the device's status (counts, times, a clock's drift); names to numbers or text. */
    Map<String, Object> details();
}
