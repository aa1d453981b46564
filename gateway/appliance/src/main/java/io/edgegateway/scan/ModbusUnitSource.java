package io.edgegateway.scan;

import io.edgegateway.device.DeviceException;
import io.edgegateway.modbus.ModbusClient;
import io.edgegateway.modbus.codec.RegisterBlock;
import io.edgegateway.modbus.codec.RegisterDecoder;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.point.Table;

import java.util.HashMap;
import java.util.Map;

/**
 * One Modbus unit's points, one small read per point. Answers (and failures) are kept by register range, so
 * profiles sharing a layout (SDM630 and SDM120, L1 voltage at input 0 in three profiles) cost one request per
 * range, not one per profile.
 */
final class ModbusUnitSource implements PointSource {

    private record Range(Table table, int start, int count) {
    }

    private final ModbusClient link;
    private final int unit;
    private final Map<Range, Object> answers = new HashMap<>();
    private int requests;

    ModbusUnitSource(ModbusClient link, int unit) {
        this.link = link;
        this.unit = unit;
    }

    @Override
    public PointValue read(Point point) throws DeviceException {
        if (!(point.address() instanceof ModbusAddress a)) {
            return new PointValue.Invalid("not a Modbus point");
        }
        Range r = new Range(a.table(), a.address(), a.size());
        Object known = answers.get(r);
        if (known == null) {
            requests++;
            try {
                known = link.read(unit, r.table(), r.start(), r.count());
            } catch (DeviceException e) {
                known = e;
            }
            answers.put(r, known);
        }
        if (known instanceof DeviceException e) {
            throw e;
        }
        return RegisterDecoder.decode(point, (RegisterBlock) known);
    }

    /** Requests sent so far. */
    int requests() {
        return requests;
    }
}
