package io.edgegateway.cli;

import io.edgegateway.app.ProtocolConnector;
import io.edgegateway.command.Options;
import io.edgegateway.config.BusConfig;
import io.edgegateway.config.BusType;
import io.edgegateway.dlms.client.DlmsSettings;
import io.edgegateway.modbus.transport.LinkOptions;
import io.edgegateway.modbus.ModbusClient;
import io.edgegateway.serial.Parity;
import io.edgegateway.serial.SerialSettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a field tool talks to, from exactly one of {@code --tcp}, {@code --rtu-over-tcp}, {@code --serial},
 * {@code --dlms-tcp} or {@code --dlms-serial}, with the serial line options that go with it.
 */
sealed interface Target {

    /** Options that take a value. */
    Set<String> VALUED = Set.of("tcp", "rtu-over-tcp", "serial", "dlms-tcp", "dlms-serial", "baud", "parity",
            "stop-bits", "timeout");
    /** Options that take none. */
    Set<String> FLAGS = Set.of("hdlc", "mode-e");

    /** "modbus-tcp 10.0.0.5:502", "rtu /dev/ttyUSB0 9600 8N1", "dlms 10.0.0.7:4059 (wrapper)". */
    String describe();

    /** The default response timeout of a read with this target. */
    Duration readTimeout();

    /** One Modbus link. */
    sealed interface Modbus extends Target {

        /** The bus the gateway's config would describe for this target. */
        BusConfig bus(LinkOptions options);

        /** The link, made as the gateway makes the link of a configured bus. */
        default ModbusClient open(LinkOptions options) {
            return ProtocolConnector.modbusLink(bus(options));
        }

        /** The driver's defaults for this framing, to start from. */
        LinkOptions defaults();

        /** RTU framing (a bus): unit ids 1..247, and a late answer has no transaction id to tell it by. */
        default boolean bus() {
            return !(this instanceof ModbusTcp);
        }

        @Override
        default Duration readTimeout() {
            return Duration.ofSeconds(1);
        }
    }

    /** One DLMS/COSEM meter. */
    sealed interface Dlms extends Target {

        /** Transport and timeouts; the caller adds addresses and security. */
        DlmsSettings.Builder settings(Duration timeout);

        @Override
        default Duration readTimeout() {
            return Duration.ofSeconds(3);
        }
    }

    record ModbusTcp(String host, int port) implements Modbus {
        @Override
        public BusConfig bus(LinkOptions o) {
            return new BusConfig("--tcp", BusType.MODBUS_TCP, host, port, null, o.responseTimeout(), o.connectTimeout(),
                    o.pause(), o.lateReplyGuard());
        }

        @Override
        public LinkOptions defaults() {
            return LinkOptions.TCP;
        }

        @Override
        public String describe() {
            return "modbus-tcp " + hostPort(host, port);
        }
    }

    record RtuOverTcp(String host, int port) implements Modbus {
        @Override
        public BusConfig bus(LinkOptions o) {
            return new BusConfig("--rtu-over-tcp", BusType.MODBUS_RTU_OVER_TCP, host, port, null, o.responseTimeout(),
                    o.connectTimeout(), o.pause(), o.lateReplyGuard());
        }

        @Override
        public LinkOptions defaults() {
            return LinkOptions.RTU_OVER_TCP;
        }

        @Override
        public String describe() {
            return "rtu-over-tcp " + hostPort(host, port);
        }
    }

    record ModbusSerial(SerialSettings serial) implements Modbus {
        @Override
        public BusConfig bus(LinkOptions o) {
            return new BusConfig("--serial", BusType.MODBUS_RTU, null, 0, serial, o.responseTimeout(),
                    o.connectTimeout(), o.pause(), o.lateReplyGuard());
        }

        @Override
        public LinkOptions defaults() {
            return LinkOptions.SERIAL;
        }

        @Override
        public String describe() {
            return "rtu " + serial.describe();
        }
    }

    record DlmsTcp(String host, int port, boolean hdlc) implements Dlms {
        @Override
        public DlmsSettings.Builder settings(Duration timeout) {
            DlmsSettings.Builder b = DlmsSettings.builder();
            (hdlc ? b.hdlcTcp(host, port) : b.wrapperTcp(host, port)).responseTimeout(timeout)
                    .connectTimeout(timeout);
            return b;
        }

        @Override
        public String describe() {
            return "dlms " + hostPort(host, port) + (hdlc ? " (hdlc)" : " (wrapper)");
        }
    }

    record DlmsSerial(SerialSettings serial, boolean modeE) implements Dlms {
        @Override
        public DlmsSettings.Builder settings(Duration timeout) {
            return DlmsSettings.builder().hdlcSerial(serial).modeE(modeE).responseTimeout(timeout)
                    .connectTimeout(timeout);
        }

        @Override
        public String describe() {
            return "dlms " + serial.describe() + " (hdlc" + (modeE ? ", mode E" : "") + ")";
        }
    }

    /**
     * The one target the options name.
     *
     * @param dlms whether DLMS targets are allowed
     * @throws IllegalArgumentException for none, several, or options that belong to another kind of target
     */
    static Target parse(Options o, boolean dlms) {
        List<String> given = new ArrayList<>();
        for (String t : List.of("tcp", "rtu-over-tcp", "serial", "dlms-tcp", "dlms-serial")) {
            if (o.has(t)) {
                given.add("--" + t);
            }
        }
        String kinds = dlms ? "--tcp HOST[:PORT], --rtu-over-tcp HOST:PORT, --serial DEVICE, --dlms-tcp HOST[:PORT] "
                + "or --dlms-serial DEVICE" : "--tcp HOST[:PORT], --rtu-over-tcp HOST:PORT or --serial DEVICE";
        if (given.isEmpty()) {
            throw new IllegalArgumentException("say where to look: " + kinds);
        }
        if (given.size() > 1) {
            throw new IllegalArgumentException("give one target, not " + String.join(" and ", given));
        }
        String kind = given.get(0).substring(2);
        if (!dlms && kind.startsWith("dlms")) {
            throw new IllegalArgumentException("--" + kind + " is not available here; use " + kinds);
        }
        boolean serial = kind.equals("serial") || kind.equals("dlms-serial");
        for (String s : List.of("baud", "parity", "stop-bits")) {
            if (o.has(s) && !serial) {
                throw new IllegalArgumentException("--" + s + " is for --serial and --dlms-serial");
            }
        }
        if (o.has("hdlc") && !kind.equals("dlms-tcp")) {
            throw new IllegalArgumentException("--hdlc is for --dlms-tcp (HDLC frames over TCP instead of the wrapper)");
        }
        if (o.has("mode-e") && !kind.equals("dlms-serial")) {
            throw new IllegalArgumentException("--mode-e is for --dlms-serial (optical heads)");
        }
        String value = o.required(kind);
        return switch (kind) {
            case "tcp" -> {
                HostPort hp = HostPort.parse("--tcp", value, 502);
                yield new ModbusTcp(hp.host(), hp.port());
            }
            case "rtu-over-tcp" -> {
                HostPort hp = HostPort.parse("--rtu-over-tcp", value, -1);
                yield new RtuOverTcp(hp.host(), hp.port());
            }
            case "serial" -> new ModbusSerial(serial(o, value));
            case "dlms-tcp" -> {
                HostPort hp = HostPort.parse("--dlms-tcp", value, DlmsSettings.DEFAULT_PORT);
                yield new DlmsTcp(hp.host(), hp.port(), o.has("hdlc"));
            }
            case "dlms-serial" -> new DlmsSerial(serial(o, value), o.has("mode-e"));
            default -> throw new AssertionError(kind);
        };
    }

    private static SerialSettings serial(Options o, String device) {
        if (device.isBlank()) {
            throw new IllegalArgumentException("--serial needs a device, e.g. /dev/ttyUSB0");
        }
        int baud = o.integer("baud", 9600, 50, 4_000_000);
        Parity parity = OptionText.parse("--parity", o.value("parity", "none"), Parity::parse);
        int stop = o.integer("stop-bits", 1, 1, 2);
        return SerialSettings.of(device, baud).withParity(parity, stop);
    }

    /** The {@code --timeout} option, or {@code dflt}: "200ms", "2s", or a bare number of milliseconds. */
    static Duration timeout(Options o, Duration dflt) {
        String text = o.value("timeout").orElse(null);
        if (text == null) {
            return dflt;
        }
        Duration d = OptionText.duration("--timeout", text, true);
        if (d.toMillis() < 10 || d.toMillis() > 60_000) {
            throw new IllegalArgumentException("--timeout must be 10ms..60s, got " + text);
        }
        return d;
    }

    private static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** HOST, HOST:PORT, [IPv6]:PORT or a bare IPv6 address. */
    record HostPort(String host, int port) {

        /** @param dfltPort port when none is given, or -1 when one is required */
        static HostPort parse(String option, String text, int dfltPort) {
            String t = text.trim();
            String host;
            String port = null;
            if (t.startsWith("[")) {
                int close = t.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException(option + ": missing ']' in '" + text + "'");
                }
                host = t.substring(1, close);
                String rest = t.substring(close + 1);
                if (!rest.isEmpty()) {
                    if (!rest.startsWith(":")) {
                        throw new IllegalArgumentException(option + ": expected [ADDRESS]:PORT, got '" + text + "'");
                    }
                    port = rest.substring(1);
                }
            } else if (t.indexOf(':') >= 0 && t.indexOf(':') == t.lastIndexOf(':')) {
                host = t.substring(0, t.indexOf(':'));
                port = t.substring(t.indexOf(':') + 1);
            } else {
                host = t; // a name, an IPv4 address, or a bare IPv6 address (several colons)
            }
            if (host.isEmpty()) {
                throw new IllegalArgumentException(option + " needs a host, e.g. 192.168.1.50:502");
            }
            if (port == null) {
                if (dfltPort < 0) {
                    throw new IllegalArgumentException(option + " needs HOST:PORT (the device server's TCP port, "
                            + "e.g. 4001)");
                }
                return new HostPort(host, dfltPort);
            }
            try {
                int p = Integer.parseInt(port);
                if (p < 1 || p > 65535) {
                    throw new NumberFormatException();
                }
                return new HostPort(host, p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": port must be 1..65535, got '" + port + "'");
            }
        }
    }
}
