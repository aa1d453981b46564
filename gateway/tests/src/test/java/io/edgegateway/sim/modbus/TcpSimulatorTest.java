package io.edgegateway.sim.modbus;

import io.edgegateway.device.NoResponseException;
import io.edgegateway.modbus.transport.LinkOptions;
import io.edgegateway.modbus.ModbusClient;
import io.edgegateway.point.Table;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;

import static io.edgegateway.sim.modbus.Expectations.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TCP server's own behaviour: unit id rules per framing, connection limits, garbage, restarts. */
class TcpSimulatorTest {

    private static final LinkOptions FAST = LinkOptions.TCP.withResponseTimeout(Duration.ofMillis(250));

    @Test
    void unknownUnitIsAGatewayErrorOnTcpAndSilenceOnRtuOverTcp() throws Exception {
        try (ModbusTcpSimulator sim = ModbusTcpSimulator.builder().unit(1, profile("sdm120")).build().start();
             ModbusClient link = ModbusClient.tcp("127.0.0.1", sim.port(), FAST)) {
            // The simulator answers 0B like a TCP-to-RTU gateway; the driver reports the unit as not answering.
            NoResponseException e = assertThrows(NoResponseException.class, () -> link.read(7, Table.INPUT, 0, 2));
            assertTrue(e.getMessage().contains("exception 0B GATEWAY TARGET DEVICE FAILED TO RESPOND"), e.getMessage());
            assertEquals(1, sim.stats().exceptions());
            assertEquals(2, link.read(255, Table.INPUT, 0, 2).count(), "unit 255 reaches the only unit");
        }
        try (ModbusTcpSimulator sim = ModbusTcpSimulator.builder().rtuOverTcp(true).unit(1, profile("sdm120")).build()
                .start();
             ModbusClient link = ModbusClient.rtuOverTcp("127.0.0.1", sim.port(), LinkOptions.RTU_OVER_TCP
                     .withResponseTimeout(Duration.ofMillis(250)).withLateReplyGuard(Duration.ZERO))) {
            assertThrows(NoResponseException.class, () -> link.read(7, Table.INPUT, 0, 2));
            assertEquals(2, link.read(1, Table.INPUT, 0, 2).count());
        }
    }

    @Test
    void restartKeepsTheEphemeralPort() throws Exception {
        try (ModbusTcpSimulator sim = ModbusTcpSimulator.builder().unit(1, profile("sdm120")).build().start();
             ModbusClient link = ModbusClient.tcp("127.0.0.1", sim.port(), FAST)) {
            int port = sim.port();
            link.read(1, Table.INPUT, 0, 2);
            sim.restart();
            assertEquals(port, sim.port());
            assertEquals(2, link.read(1, Table.INPUT, 0, 2).count(), "the driver reconnects to the restarted device");
            assertEquals(2, sim.stats().connections());
        }
    }

    @Test
    void connectionsBeyondTheLimitAndGarbageAreClosed() throws Exception {
        try (ModbusTcpSimulator sim = ModbusTcpSimulator.builder().maxConnections(1).unit(1, profile("sdm120")).build()
                .start();
             Socket first = new Socket(InetAddress.getLoopbackAddress(), sim.port());
             Socket second = new Socket(InetAddress.getLoopbackAddress(), sim.port())) {
            second.setSoTimeout(2000);
            assertEquals(-1, second.getInputStream().read(), "no room for a second connection");

            first.setSoTimeout(2000);
            first.getOutputStream().write(HexFormat.ofDelimiter(" ").parseHex("00 01 00 05 00 06 01 04 00 00 00 02")); // protocol id 5
            InputStream in = first.getInputStream();
            assertEquals(-1, in.read(), "not Modbus: the connection goes");
        }
    }
}
