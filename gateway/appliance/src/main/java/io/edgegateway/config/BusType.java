package io.edgegateway.config;

import io.edgegateway.profile.Protocol;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The kinds of bus a device can hang on. */
public enum BusType {
    MODBUS_TCP("modbus-tcp", Protocol.MODBUS, false, 502),
    MODBUS_RTU_OVER_TCP("modbus-rtu-over-tcp", Protocol.MODBUS, false, 502),
    MODBUS_RTU("modbus-rtu", Protocol.MODBUS, true, 0),
    DLMS_TCP("dlms-tcp", Protocol.DLMS, false, 4059),
    DLMS_HDLC_TCP("dlms-hdlc-tcp", Protocol.DLMS, false, 4059),
    DLMS_SERIAL("dlms-serial", Protocol.DLMS, true, 0);

    private final String configName;
    private final Protocol protocol;
    private final boolean serial;
    private final int defaultPort;

    BusType(String configName, Protocol protocol, boolean serial, int defaultPort) {
        this.configName = configName;
        this.protocol = protocol;
        this.serial = serial;
        this.defaultPort = defaultPort;
    }

    public String configName() {
        return configName;
    }

    public Protocol protocol() {
        return protocol;
    }

    public boolean serial() {
        return serial;
    }

    public int defaultPort() {
        return defaultPort;
    }

    public static BusType parse(String text) {
        for (BusType t : values()) {
            if (t.configName.equals(text.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown bus type '" + text + "' (expected " + names() + ")");
    }

    static String names() {
        return Arrays.stream(values()).map(BusType::configName).collect(Collectors.joining(", "));
    }
}
