package io.edgegateway.device;

import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the points of one device (one Modbus unit id, one DLMS logical device). Not thread-safe: the bus
 * scheduler that owns the device's line calls it from one thread at a time.
 */
public interface MeterReader extends AutoCloseable {

    /**
     * Reads {@code points} in as few requests as the device allows.
     *
     * @return a value for every point, in the order given; a point the device answered but could not deliver
     *         (an address it rejects, NaN, a wrong COSEM type) is a {@link PointValue.Invalid}
     * @throws DeviceException when the device gave no usable answer at all
     */
    Map<Point, PointValue> read(List<Point> points) throws DeviceException;

    /**
     * How long until points the device refused (an address it does not have) are asked for again; empty when it
     * refuses none, or the protocol does not learn refusals.
     */
    default Optional<Duration> reprobeIn() {
        return Optional.empty();
    }

    /** Drops the connection, if this reader owns one; the next read reconnects. */
    @Override
    void close();
}
