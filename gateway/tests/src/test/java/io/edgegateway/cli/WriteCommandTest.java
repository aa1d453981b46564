package io.edgegateway.cli;

import io.edgegateway.point.PointValue;
import io.edgegateway.sim.model.SimulatedDevice;
import io.edgegateway.sim.modbus.ModbusTcpSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bin/gateway write against the simulated PLC: the gateway's checks, the write, the value read back. */
@Timeout(60)
class WriteCommandTest {

    private SimulatedDevice plc;
    private ModbusTcpSimulator sim;

    @BeforeEach
    void start() throws Exception {
        plc = Cli.frozen("plc", 4);
        sim = ModbusTcpSimulator.builder().unit(4, plc).build().start();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private Cli.Run write(String point, String value, String... more) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("write", "--tcp",
                "127.0.0.1:" + sim.port(), "--unit", "4", "--profile", "plc", "--point", point, "--value", value));
        args.addAll(java.util.List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    private BigDecimal held(String point) {
        return ((PointValue.Number) plc.value(plc.profile().point(point).orElseThrow())).value();
    }

    @Test
    void writesReadsBackAndPrintsBeforeAndAfter() {
        Cli.Run r = write("Pump Speed Setpoint", "55");
        assertEquals(0, r.code(), r.toString());
        assertEquals("Pump Speed Setpoint: 75.0 % -> 55.0 % (wrote 55 on modbus-tcp 127.0.0.1:" + sim.port() + ")\n",
                r.out());
        assertEquals(0, new BigDecimal("55").compareTo(held("Pump Speed Setpoint")));

        Cli.Run mode = write("Operating Mode", "manual");
        assertEquals(0, mode.code(), mode.toString());
        assertTrue(mode.out().startsWith("Operating Mode: AUTO -> MANUAL "), mode.out());
        Cli.Run coil = write("Pump Enable", "off");
        assertTrue(coil.out().startsWith("Pump Enable: ON -> OFF "), coil.toString());
    }

    @Test
    void theGatewaysChecksRefuseBeforeTheDeviceIsAsked() {
        long before = sim.requestCount();
        Cli.Run range = write("Pump Speed Setpoint", "101");
        assertEquals(2, range.code(), range.toString());
        assertTrue(range.err().contains("out-of-range: 101 is outside what 'Pump Speed Setpoint' takes: 0 .. 100"),
                range.err());
        assertEquals(2, write("Pump Speed Setpoint", "10.2").code(), "off the 0.5 step");
        assertEquals(2, write("Tank Level", "10").code(), "read only");
        assertTrue(write("Tank Level", "10").err().contains("not-writable"));
        assertEquals(2, write("Pump Enable", "maybe").code());
        assertEquals(2, write("Warp Drive", "1").code());
        assertEquals(before, sim.requestCount(), "no request reached the PLC");
    }

    @Test
    void aDeviceRefusalOrSilenceExitsOne() throws Exception {
        // The profile's range is the PLC's here, so the PLC's own refusal needs a unit that has nothing there.
        Cli.Run unknownUnit = Cli.run("write", "--tcp", "127.0.0.1:" + sim.port(), "--unit", "9", "--profile", "plc",
                "--point", "Pump Speed Setpoint", "--value", "50");
        assertEquals(1, unknownUnit.code(), unknownUnit.toString());
        assertTrue(unknownUnit.err().contains("device-timeout"), "exception 0B: the gateway's target is away: "
                + unknownUnit.err());
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Cli.Run nobody = Cli.run("write", "--tcp", "127.0.0.1:" + closed, "--profile", "plc", "--point",
                "Pump Enable", "--value", "1", "--timeout", "300ms");
        assertEquals(1, nobody.code(), nobody.toString());
        assertTrue(nobody.err().contains("device-disconnected"), nobody.err());
    }
}
