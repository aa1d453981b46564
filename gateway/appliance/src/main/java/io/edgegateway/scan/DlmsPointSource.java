package io.edgegateway.scan;

import io.edgegateway.device.DeviceException;
import io.edgegateway.dlms.client.DlmsMeter;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A DLMS meter's points: a profile's evidence in one GET-with-list (the meter splits it if it must). */
public final class DlmsPointSource implements PointSource {

    private final DlmsMeter meter;
    private final Map<Point, PointValue> fetched = new HashMap<>();

    public DlmsPointSource(DlmsMeter meter) {
        this.meter = meter;
    }

    @Override
    public void prefetch(List<Point> points) throws DeviceException {
        fetched.putAll(meter.read(points));
    }

    @Override
    public PointValue read(Point point) throws DeviceException {
        PointValue v = fetched.get(point);
        return v != null ? v : meter.read(List.of(point)).get(point);
    }
}
