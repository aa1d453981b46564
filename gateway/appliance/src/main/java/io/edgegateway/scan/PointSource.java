package io.edgegateway.scan;

import io.edgegateway.device.DeviceException;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;

import java.util.List;

/** Where a profile test gets values: one Modbus unit, or a DLMS meter's association. */
public interface PointSource {

    /** The value of one point, decoded and scaled as the profile says. */
    PointValue read(Point point) throws DeviceException;

    /**
     * Announces the points about to be read, for sources that read many in one request (DLMS GET-with-list).
     * Modbus reads point by point instead, so a misfit stops after one request.
     */
    default void prefetch(List<Point> points) throws DeviceException {
    }
}
