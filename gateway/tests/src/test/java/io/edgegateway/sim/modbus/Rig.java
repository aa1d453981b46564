package io.edgegateway.sim.modbus;

import io.edgegateway.modbus.transport.LinkOptions;
import io.edgegateway.modbus.ModbusClient;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.serial.SerialSettings;
import io.edgegateway.sim.fault.Faults;
import io.edgegateway.sim.model.SimulatedDevice;

import io.edgegateway.testing.VirtualSerialCable;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * A simulator and a driver link talking to it, over one of the three framings: Modbus TCP and RTU over TCP on a
 * loopback port, or RTU through a socat pty pair. Devices are built frozen on a fixed seed.
 */
final class Rig implements AutoCloseable {

    enum Kind { TCP, RTU_OVER_TCP, SERIAL }

    /** Short timeouts keep the suite fast; the late-reply guard as long as the timeout. */
    static final Duration TIMEOUT = Duration.ofMillis(300);

    final Kind kind;
    final ModbusClient link;
    private final ModbusTcpSimulator tcp;
    private final ModbusRtuSimulator rtu;
    private final VirtualSerialCable pty;

    private Rig(Kind kind, ModbusClient link, ModbusTcpSimulator tcp, ModbusRtuSimulator rtu, VirtualSerialCable pty) {
        this.kind = kind;
        this.link = link;
        this.tcp = tcp;
        this.rtu = rtu;
        this.pty = pty;
    }

    static SimulatedDevice frozen(DeviceProfile profile, long seed) {
        SimulatedDevice d = SimulatedDevice.of(profile, seed, Clock.systemUTC());
        d.freeze(true);
        return d;
    }

    static LinkOptions options(Kind kind) {
        LinkOptions base = switch (kind) {
            case TCP -> LinkOptions.TCP;
            case RTU_OVER_TCP -> LinkOptions.RTU_OVER_TCP;
            case SERIAL -> LinkOptions.SERIAL;
        };
        return base.withResponseTimeout(TIMEOUT).withConnectTimeout(Duration.ofSeconds(1))
                .withPause(kind == Kind.TCP ? Duration.ZERO : Duration.ofMillis(2))
                .withLateReplyGuard(kind == Kind.TCP ? Duration.ZERO : TIMEOUT);
    }

    static Rig start(Kind kind, Map<Integer, SimulatedDevice> units, boolean strict, Path tempDir) throws Exception {
        return start(kind, units, strict, tempDir, options(kind));
    }

    static Rig start(Kind kind, Map<Integer, SimulatedDevice> units, boolean strict, Path tempDir, LinkOptions options)
            throws Exception {
        if (kind == Kind.SERIAL) {
            VirtualSerialCable pty = new VirtualSerialCable(tempDir);
            ModbusRtuSimulator.Builder b = ModbusRtuSimulator.builder(SerialSettings.of(pty.a(), 9600)).strict(strict);
            units.forEach(b::unit);
            ModbusRtuSimulator sim = b.build().start();
            return new Rig(kind, ModbusClient.serial(SerialSettings.of(pty.b(), 9600), options), null, sim, pty);
        }
        ModbusTcpSimulator.Builder b = ModbusTcpSimulator.builder().rtuOverTcp(kind == Kind.RTU_OVER_TCP).strict(strict);
        units.forEach(b::unit);
        ModbusTcpSimulator sim = b.build().start();
        ModbusClient link = kind == Kind.TCP ? ModbusClient.tcp("127.0.0.1", sim.port(), options)
                : ModbusClient.rtuOverTcp("127.0.0.1", sim.port(), options);
        return new Rig(kind, link, sim, null, null);
    }

    SimulatedDevice device(int unit) {
        return tcp != null ? tcp.device(unit) : rtu.device(unit);
    }

    Faults faults() {
        return tcp != null ? tcp.faults() : rtu.faults();
    }

    long requests(int unit) {
        return tcp != null ? tcp.requestCount(unit) : rtu.requestCount(unit);
    }

    SimulatorStats stats() {
        return tcp != null ? tcp.stats() : rtu.stats();
    }

    ModbusTcpSimulator tcp() {
        return tcp;
    }

    @Override
    public void close() {
        link.close();
        if (tcp != null) {
            tcp.close();
        }
        if (rtu != null) {
            rtu.close();
        }
        if (pty != null) {
            pty.close();
        }
    }
}
