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
     * Tells the reader that {@link #read} of {@code points} follows shortly, after the reads it was told of before:
     * on a connection that keeps several transactions in flight it may send its requests now. A hint; by default,
     * and wherever one transaction at a time is the rule, it does nothing.
     */
    default void readAhead(List<Point> points) {
    }

    /**
     * How long until points the device refused (an address it does not have) are asked for again; empty when it
     * refuses none, or the protocol does not learn refusals.
     */
    default Optional<Duration> reprobeIn() {
        return Optional.empty();
    }

    /**
     * Writes one point's new value (a setpoint, a command) in the protocol's own way: Modbus FC05/06/16, DLMS SET.
     * The caller has checked the value against the point's {@link Point#write() range}; reading it back is the
     * caller's too. Called, as {@link #read}, by the bus thread alone.
     *
     * @param value in engineering units, as a read would return it: a number, or a flag for a bit
     * @throws RejectedException the device refused (its exception code or data-access-result), or this reader
     *                           cannot write at all (code -1)
     * @throws DeviceException   when the device gave no usable answer
     */
    default void write(Point point, PointValue value) throws DeviceException {
        throw new RejectedException(point.name() + ": this driver does not write", -1);
    }

    /** Drops the connection, if this reader owns one; the next read reconnects. */
    @Override
    void close();
}
