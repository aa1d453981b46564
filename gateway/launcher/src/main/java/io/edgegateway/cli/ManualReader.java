package io.edgegateway.cli;

import io.edgegateway.device.DeviceException;
import io.edgegateway.device.RejectedException;
import io.edgegateway.dlms.client.DlmsMeter;
import io.edgegateway.dlms.client.DlmsSettings;
import io.edgegateway.modbus.ModbusClient;
import io.edgegateway.modbus.ModbusMeter;
import io.edgegateway.modbus.codec.RegisterBlock;
import io.edgegateway.modbus.codec.RegisterDecoder;
import io.edgegateway.modbus.plan.ReadPlanner;
import io.edgegateway.modbus.plan.ReadRequest;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.RequestLimits;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what {@code bin/gateway read} was asked for, once per poll, and keeps its connection between polls.
 * Profile points go through the gateway's own readers ({@link ModbusMeter}, {@link DlmsMeter}); registers asked
 * by hand are read as one contiguous run each, so the raw words can be shown beside the decoded values.
 */
interface ManualReader extends AutoCloseable {

    List<ValueText.Line> read() throws DeviceException;

    @Override
    void close();

    /** A profile's points from one unit, planned into few requests and shown as the gateway reports them. */
    static ManualReader profile(ModbusClient link, int unit, DeviceProfile profile, List<Point> points) {
        ModbusMeter meter = new ModbusMeter(link, unit, profile.limits());
        return new ManualReader() {
            @Override
            public List<ValueText.Line> read() throws DeviceException {
                return ValueText.profileLines(meter.read(points), points, p -> "");
            }

            @Override
            public void close() {
                link.close();
            }
        };
    }

    /** Registers or bits by hand; the plan only splits what one request cannot carry (125 registers, 2000 bits). */
    static ManualReader registers(ModbusClient link, int unit, List<Point> points) {
        List<ReadRequest> requests = new ReadPlanner(RequestLimits.DEFAULT.contiguousOnly()).plan(points).requests();
        return new ManualReader() {
            @Override
            public List<ValueText.Line> read() throws DeviceException {
                Map<Point, ValueText.Line> lines = new LinkedHashMap<>();
                points.forEach(p -> lines.put(p, null));
                for (ReadRequest r : requests) {
                    RegisterBlock block = link.read(unit, r.table(), r.start(), r.count());
                    for (Point p : r.points()) {
                        PointValue v = RegisterDecoder.decode(p, block);
                        // A NaN is not a failure: the device answered, and many send NaN for "not available".
                        lines.put(p, new ValueText.Line(p.name(), ValueText.show(v),
                                ValueText.rawWords((ModbusAddress) p.address(), block), false));
                    }
                }
                return new ArrayList<>(lines.values());
            }

            @Override
            public void close() {
                link.close();
            }
        };
    }

    /**
     * COSEM attributes of one meter. For one object asked by hand ({@code single}) the data-access-result is the
     * answer: an error line, exit 1.
     */
    static ManualReader dlms(DlmsSettings settings, List<Point> points, boolean single) {
        DlmsMeter meter = new DlmsMeter(settings);
        return new ManualReader() {
            @Override
            public List<ValueText.Line> read() throws DeviceException {
                Map<Point, PointValue> values = meter.read(points);
                if (single && values.get(points.get(0)) instanceof PointValue.Invalid i) {
                    throw new RejectedException(i.reason(), -1);
                }
                return ValueText.profileLines(values, points, p -> meter.meterUnit(p).orElse(""));
            }

            @Override
            public void close() {
                meter.close();
            }
        };
    }
}
