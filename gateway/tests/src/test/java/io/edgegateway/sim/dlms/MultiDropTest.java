package io.edgegateway.sim.dlms;

import io.edgegateway.app.Gateway;
import io.edgegateway.app.ProtocolConnector;
import io.edgegateway.config.ConfigLoader;
import io.edgegateway.point.Point;
import io.edgegateway.poll.BusStats;
import io.edgegateway.reading.MeterStatus;
import io.edgegateway.reading.Reading;
import io.edgegateway.serial.SerialSettings;
import io.edgegateway.testing.VirtualSerialCable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * HDLC multi-drop: three simulated meters at their own HDLC addresses on one line, behind a serial device server
 * (HDLC over one TCP connection) or on a socat pty, polled by a gateway through one port. Each meter's readings
 * are its own, the associations take turns on the line, and the port is opened once.
 */
@Timeout(90)
class MultiDropTest {

    private static final int[] ADDRESSES = {17, 18, 19};

    @TempDir
    Path dir;

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "pty"})
    void threeMetersOnOneLineAnswerEachForItself(String line) throws Exception {
        List<DlmsSimulator> meters = new ArrayList<>();
        for (int i = 0; i < ADDRESSES.length; i++) {
            DlmsSimulator.Builder b = DlmsSimulator.builder().hdlcTcp().serialNumber("MD" + ADDRESSES[i])
                    .serverAddress(1, ADDRESSES[i]).seed(i + 1);
            meters.add(b.build());
        }
        meters.forEach(m -> m.device().freeze(true));
        String bus;
        MultiDropSimulator sim;
        if (line.equals("tcp")) {
            sim = MultiDropSimulator.onTcp("127.0.0.1", 0, meters).start();
            bus = "{name: rs485, type: dlms-hdlc-tcp, host: 127.0.0.1, port: " + sim.port() + ", timeout: 3s}";
        } else {
            VirtualSerialCable pty = new VirtualSerialCable(dir);
            cleanup.add(pty);
            sim = MultiDropSimulator.onSerial(SerialSettings.of(pty.a(), 9600), meters).start();
            bus = "{name: rs485, type: dlms-serial, device: \"" + pty.b() + "\", baud: 9600, timeout: 3s}";
        }
        cleanup.add(sim);
        StringBuilder devices = new StringBuilder();
        for (int a : ADDRESSES) {
            devices.append("  - {meter-no: \"MD").append(a)
                    .append("\", bus: rs485, profile: dlms-standard, interval: 1s, ")
                    .append("dlms: {client: 16, server-physical: ").append(a).append("}}\n");
        }
        Gateway gateway = Gateway.start(ConfigLoader.loadYaml("server: {port: 0}\nstate-dir: \"" + dir + "\"\n"
                + "storage: {enabled: false}\nbuses: [" + bus + "]\ndevices:\n" + devices, "multi-drop.yaml", dir),
                new ProtocolConnector(), Clock.systemUTC());
        cleanup.add(gateway);

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!allPolledTwice(gateway, meters)) {
            if (System.nanoTime() > deadline) {
                fail("not every meter polled twice: " + gateway.stats());
            }
            Thread.sleep(100);
        }
        Point energy = meters.getFirst().device().profile().point("Import active energy").orElseThrow();
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < ADDRESSES.length; i++) {
            String meterNo = "MD" + ADDRESSES[i];
            assertEquals(MeterStatus.CONNECTED, gateway.hub().status(meterNo).status(), meterNo);
            Reading r = gateway.hub().latest(meterNo).orElseThrow();
            String expected = energy.display(meters.get(i).device().value(energy));
            assertEquals(expected, r.values().get(energy.name()).display(), meterNo + " reads its own meter");
            shown.add(expected);
            assertTrue(meters.get(i).served().associations() >= 2,
                    meterNo + ": the line is taken over in turn, a new association each time: "
                            + meters.get(i).served().associations());
        }
        assertNotEquals(shown.get(0), shown.get(1), "the meters differ, so a mix-up would show");
        BusStats stats = gateway.stats().getFirst();
        assertEquals(1, stats.connects(), "one port for the whole line: " + stats);
    }

    private static boolean allPolledTwice(Gateway gateway, List<DlmsSimulator> meters) {
        return gateway.stats().getFirst().devices().stream().allMatch(d -> d.polls() >= 2 && d.failures() == 0)
                && meters.stream().allMatch(m -> m.served().associations() >= 2);
    }
}
