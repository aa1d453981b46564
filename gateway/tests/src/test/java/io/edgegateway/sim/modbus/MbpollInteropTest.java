package io.edgegateway.sim.modbus;

import io.edgegateway.modbus.ModbusClient;
import io.edgegateway.modbus.ModbusMeter;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.profile.ConfigNode;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.ProfileParser;
import io.edgegateway.serial.SerialSettings;
import io.edgegateway.sim.model.SimulatedDevice;
import io.edgegateway.testing.VirtualSerialCable;
import io.edgegateway.testing.ExternalTools;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.edgegateway.sim.modbus.Expectations.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A third implementation reads the simulator: mbpoll (libmodbus). Reference numbers are 1-based as mbpoll prints
 * them; -B selects the high-word-first order Eastron meters use (mbpoll's default is low word first).
 */
class MbpollInteropTest {

    @TempDir
    Path tmp;

    @BeforeEach
    void needMbpoll() {
        ExternalTools.require(VirtualSerialCable.onPath("mbpoll"), "mbpoll is not installed (apt-get install mbpoll): "
                + "the interop tests need an independent Modbus client");
    }

    @Test
    void mbpollReadsTheSdm630VoltageOverTcp() throws Exception {
        try (ModbusTcpSimulator sim = ModbusTcpSimulator.builder().unit(1, profile("sdm630")).build().start()) {
            String out = mbpoll("-m", "tcp", "-p", String.valueOf(sim.port()), "-a", "1", "-t", "3:float", "-B",
                    "-r", "1", "-c", "1", "-1", "127.0.0.1");
            double volts = values(out).get(0);
            assertTrue(volts > 220 && volts < 240, "L1 voltage at input register 1 (address 0): " + volts + "\n" + out);
        }
    }

    @Test
    void mbpollWritesAPlcSetpointAndReadsCoils() throws Exception {
        SimulatedDevice plc = Rig.frozen(profile("plc"), 2);
        try (ModbusTcpSimulator sim = ModbusTcpSimulator.builder().unit(2, plc).build().start()) {
            mbpoll("-m", "tcp", "-p", String.valueOf(sim.port()), "-a", "2", "-t", "4", "-r", "1", "-1", "127.0.0.1", "655");
            assertEquals(0, new BigDecimal("65.5").compareTo(((PointValue.Number) plc.value(
                    plc.profile().point("Level High Setpoint").orElseThrow())).value()));
            String coils = mbpoll("-m", "tcp", "-p", String.valueOf(sim.port()), "-a", "2", "-t", "0", "-r", "1",
                    "-c", "2", "-1", "127.0.0.1");
            assertEquals(List.of(1.0, 0.0), values(coils), "pump enabled, manual run off");
        }
    }

    /**
     * The other way round: what the gateway's driver writes (FC06 scaled, FC16 float32, FC05), mbpoll reads off the
     * device as raw registers and bits; what mbpoll writes, the driver reads as values.
     */
    @Test
    void mbpollReadsWhatTheDriverWroteAndTheDriverReadsWhatMbpollWrote() throws Exception {
        DeviceProfile plc = ProfileParser.parse(ConfigNode.parse("""
                name: plc-float
                protocol: modbus
                points:
                  - {name: Pump Speed Setpoint, table: holding, address: 2, type: uint16, scale: 0.1, unit: "%",
                     writable: true, quantity: plc.setpoint.pump.speed}
                  - {name: Speed Float, table: holding, address: 20, type: float32, unit: "%", writable: true,
                     quantity: plc.setpoint.pump.speed}
                  - {name: Manual Pump Run, table: coil, address: 1, writable: true, quantity: plc.pump.manual}
                """, "plc-float.yaml"));
        SimulatedDevice device = Rig.frozen(plc, 3);
        try (ModbusTcpSimulator sim = ModbusTcpSimulator.builder().unit(3, device).build().start();
             ModbusClient link = ModbusClient.tcp("127.0.0.1", sim.port())) {
            ModbusMeter meter = new ModbusMeter(link, 3, plc.limits());
            String port = String.valueOf(sim.port());
            meter.write(plc.point("Pump Speed Setpoint").orElseThrow(), new PointValue.Number(new BigDecimal("62.5")));
            assertEquals(List.of(625.0), values(mbpoll("-m", "tcp", "-p", port, "-a", "3", "-t", "4", "-r", "3", "-c",
                    "1", "-1", "127.0.0.1")), "FC06 of 62.5 % in tenths");
            meter.write(plc.point("Speed Float").orElseThrow(), new PointValue.Number(new BigDecimal("41.25")));
            assertEquals(List.of(41.25), values(mbpoll("-m", "tcp", "-p", port, "-a", "3", "-t", "4:float", "-B",
                    "-r", "21", "-c", "1", "-1", "127.0.0.1")), "FC16 of a float32, high word first");
            meter.write(plc.point("Manual Pump Run").orElseThrow(), new PointValue.Flag(true));
            assertEquals(List.of(1.0), values(mbpoll("-m", "tcp", "-p", port, "-a", "3", "-t", "0", "-r", "2", "-c",
                    "1", "-1", "127.0.0.1")), "FC05 on");

            mbpoll("-m", "tcp", "-p", port, "-a", "3", "-t", "4:float", "-B", "-r", "21", "-1", "127.0.0.1", "33.5");
            Point half = plc.point("Pump Speed Setpoint").orElseThrow();
            Point asFloat = plc.point("Speed Float").orElseThrow();
            var read = meter.read(List.of(half, asFloat));
            assertEquals(0, new BigDecimal("33.5").compareTo(((PointValue.Number) read.get(asFloat)).value()));
            assertEquals(0, new BigDecimal("33.5").compareTo(((PointValue.Number) read.get(half)).value()),
                    "the same setpoint in tenths");
        }
    }

    @Test
    void mbpollReadsTheRtuSimulatorThroughAPty() throws Exception {
        try (VirtualSerialCable pty = new VirtualSerialCable(tmp);
             ModbusRtuSimulator sim = ModbusRtuSimulator.builder(SerialSettings.of(pty.a(), 9600))
                     .unit(1, profile("sdm120")).build().start()) {
            String out = mbpoll("-m", "rtu", "-b", "9600", "-P", "none", "-a", "1", "-t", "3:float", "-B", "-r", "71",
                    "-c", "1", "-1", pty.b());
            double hz = values(out).get(0);
            assertTrue(hz > 49.8 && hz < 50.2, "frequency at input register 71 (address 0x46): " + hz + "\n" + out);
            assertEquals(0, sim.stats().crcErrors(), "mbpoll's frames all had good CRCs");
        }
    }

    private static String mbpoll(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("mbpoll");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("mbpoll hung: " + cmd);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + "\n" + out);
        return out;
    }

    /** The values of mbpoll's "[ref]: value" lines. */
    private static List<Double> values(String out) {
        List<Double> v = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\[\\d+\\]:\\s+(-?[0-9.eE+-]+)").matcher(out);
        while (m.find()) {
            v.add(Double.parseDouble(m.group(1)));
        }
        assertTrue(!v.isEmpty(), "no values in mbpoll output:\n" + out);
        return v;
    }
}
