package io.edgegateway.app;

import io.edgegateway.config.BusConfig;
import io.edgegateway.config.BusType;
import io.edgegateway.dlms.client.DlmsSettings;
import io.edgegateway.config.DeviceConfig;
import io.edgegateway.config.GatewayConfig;
import io.edgegateway.device.MeterReader;
import io.edgegateway.dlms.client.DlmsMeter;
import io.edgegateway.dlms.client.MultiDropLine;
import io.edgegateway.modbus.transport.LinkOptions;
import io.edgegateway.modbus.ModbusClient;
import io.edgegateway.modbus.ModbusMeter;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Attaches the real drivers: one Modbus link per Modbus bus shared by its unit ids (one master per line), one
 * DLMS association per DLMS meter (on a multi-drop serial line, one port and one association at a time). Nothing
 * connects here; links and associations open on the first poll.
 */
public final class ProtocolConnector implements BusConnector {

    @Override
    public ConnectedBus connect(BusConfig bus, List<DeviceConfig> devices, GatewayConfig config) {
        Map<String, MeterReader> readers = new LinkedHashMap<>();
        return switch (bus.type()) {
            case MODBUS_TCP, MODBUS_RTU_OVER_TCP, MODBUS_RTU -> {
                ModbusClient link = modbusLink(bus);
                for (DeviceConfig d : devices) {
                    readers.put(d.meterNo(), new ModbusMeter(link, d.unitId(), d.limits()));
                }
                yield new ConnectedBus(link, readers);
            }
            case DLMS_SERIAL, DLMS_HDLC_TCP -> {
                if (devices.size() == 1) {
                    readers.put(devices.get(0).meterNo(), new DlmsMeter(devices.get(0).dlms()));
                    yield new ConnectedBus(null, readers);
                }
                // HDLC multi-drop: one port (or one connection to the serial device server in front of the
                // RS-485 line), the meters' associations in turn.
                DlmsSettings first = devices.get(0).dlms();
                MultiDropLine line = bus.type() == BusType.DLMS_SERIAL ? MultiDropLine.serial(first.serial())
                        : MultiDropLine.tcp(first.host(), first.port(), first.connectTimeout());
                for (DeviceConfig d : devices) {
                    readers.put(d.meterNo(), new DlmsMeter(d.dlms(), line));
                }
                yield new ConnectedBus(line, readers);
            }
            case DLMS_TCP -> {
                for (DeviceConfig d : devices) {
                    readers.put(d.meterNo(), new DlmsMeter(d.dlms()));
                }
                yield new ConnectedBus(null, readers);
            }
        };
    }

    /** The link for a Modbus bus, with the bus's timeouts and pause over the framing's defaults. */
    public static ModbusClient modbusLink(BusConfig bus) {
        return switch (bus.type()) {
            case MODBUS_TCP -> ModbusClient.tcp(bus.host(), bus.port(), options(bus, Duration.ZERO),
                    bus.maxOutstanding());
            case MODBUS_RTU_OVER_TCP -> ModbusClient.rtuOverTcp(bus.host(), bus.port(), options(bus, bus.lateReplyGuard()));
            case MODBUS_RTU -> ModbusClient.serial(bus.serial(), options(bus, bus.lateReplyGuard()));
            default -> throw new IllegalArgumentException(bus.type().configName() + " is not a Modbus bus");
        };
    }

    private static LinkOptions options(BusConfig bus, Duration lateReplyGuard) {
        return new LinkOptions(bus.timeout(), bus.connectTimeout(), bus.pause(), lateReplyGuard);
    }
}
