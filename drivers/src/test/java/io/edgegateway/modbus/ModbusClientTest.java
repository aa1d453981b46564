package io.edgegateway.modbus;

import io.edgegateway.modbus.transport.LinkOptions;
import io.edgegateway.modbus.codec.RegisterBlock;
import io.edgegateway.device.BadResponseException;
import io.edgegateway.device.LinkDownException;
import io.edgegateway.device.NoResponseException;
import io.edgegateway.device.RejectedException;
import io.edgegateway.point.Table;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;

import static io.edgegateway.modbus.ScriptedDevice.bytes;
import static io.edgegateway.modbus.ScriptedDevice.sleep;
import static io.edgegateway.modbus.ScriptedDevice.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The link against fixed frames: requests must match the byte examples of the Modbus Application Protocol
 * specification v1.1b3 (section 6) and "Modbus over serial line" v1.02, and answers built from them must decode.
 * Unit 0x11 as in the serial-line examples.
 */
class ModbusClientTest {

    private static final LinkOptions FAST = LinkOptions.TCP.withResponseTimeout(Duration.ofMillis(250))
            .withConnectTimeout(Duration.ofMillis(500));
    private static final LinkOptions FAST_RTU = LinkOptions.RTU_OVER_TCP.withResponseTimeout(Duration.ofMillis(250))
            .withConnectTimeout(Duration.ofMillis(500)).withPause(Duration.ZERO).withLateReplyGuard(Duration.ZERO);

    /** The PDU of an MBAP frame, checking the header on the way: protocol 0, length = unit + PDU, unit 0x11. */
    private static String pdu(byte[] frame) {
        assertEquals(0, frame[2] | frame[3], "protocol id 0");
        int length = ((frame[4] & 0xFF) << 8) | (frame[5] & 0xFF);
        assertEquals(frame.length - 6, length, "MBAP length counts unit id and PDU");
        assertEquals(0x11, frame[6] & 0xFF, "unit id");
        return hex(Arrays.copyOfRange(frame, 7, frame.length));
    }

    @Test
    void readHoldingRegistersAsInTheSpec() throws Exception {
        try (ScriptedDevice dev = new ScriptedDevice(true); ModbusClient link = ModbusClient.tcp("127.0.0.1", dev.port(), FAST)) {
            dev.thenPdu("03 06 02 2B 00 00 00 64");
            RegisterBlock b = link.read(0x11, Table.HOLDING, 0x6B, 3);
            assertEquals("03 00 6B 00 03", pdu(dev.received().get(0)));
            assertEquals(0x022B, b.register(0x6B));
            assertEquals(0, b.register(0x6C));
            assertEquals(0x64, b.register(0x6D));
        }
    }

    @Test
    void readInputRegistersAsInTheSpec() throws Exception {
        try (ScriptedDevice dev = new ScriptedDevice(true); ModbusClient link = ModbusClient.tcp("127.0.0.1", dev.port(), FAST)) {
            dev.thenPdu("04 02 00 0A");
            RegisterBlock b = link.read(0x11, Table.INPUT, 0x08, 1);
            assertEquals("04 00 08 00 01", pdu(dev.received().get(0)));
            assertEquals(10, b.register(8));
        }
    }

    @Test
    void readCoilsAndDiscreteInputsAsInTheSpec() throws Exception {
        try (ScriptedDevice dev = new ScriptedDevice(true); ModbusClient link = ModbusClient.tcp("127.0.0.1", dev.port(), FAST)) {
            // Coils 20..38 (addresses 19..37): CD 6B 05, first coil in the lowest bit.
            dev.thenPdu("01 03 CD 6B 05");
            RegisterBlock coils = link.read(0x11, Table.COIL, 0x13, 19);
            assertEquals("01 00 13 00 13", pdu(dev.received().get(0)));
            String bits = bitString(coils);
            assertEquals("1011001111010110101", bits, "CD = 1100 1101 read from bit 0 up, then 6B, then 101");

            // Discrete inputs 197..218 (addresses 196..217): AC DB 35.
            dev.thenPdu("02 03 AC DB 35");
            RegisterBlock inputs = link.read(0x11, Table.DISCRETE_INPUT, 0xC4, 22);
            assertEquals("02 00 C4 00 16", pdu(dev.received().get(1)));
            assertEquals("0011010111011011101011", bitString(inputs));
        }
    }

    private static String bitString(RegisterBlock b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < b.count(); i++) {
            s.append(b.bit(b.start() + i) ? '1' : '0');
        }
        return s.toString();
    }

    @Test
    void writesAsInTheSpec() throws Exception {
        try (ScriptedDevice dev = new ScriptedDevice(true); ModbusClient link = ModbusClient.tcp("127.0.0.1", dev.port(), FAST)) {
            dev.thenPdu("05 00 AC FF 00").thenPdu("06 00 01 00 03").thenPdu("0F 00 13 00 0A").thenPdu("10 00 01 00 02");
            link.writeCoil(0x11, 0xAC, true);
            link.writeRegister(0x11, 0x01, 3);
            // Coils 20..29: CD 01 -> 1,0,1,1,0,0,1,1, 1,0
            link.writeCoils(0x11, 0x13, new boolean[] {true, false, true, true, false, false, true, true, true, false});
            link.writeRegisters(0x11, 0x01, bytes("00 0A 01 02"));
            assertEquals("05 00 AC FF 00", pdu(dev.received().get(0)));
            assertEquals("06 00 01 00 03", pdu(dev.received().get(1)));
            assertEquals("0F 00 13 00 0A 02 CD 01", pdu(dev.received().get(2)));
            assertEquals("10 00 01 00 02 04 00 0A 01 02", pdu(dev.received().get(3)));
        }
    }

    @Test
    void exceptionResponseBecomesRejectedWithItsCode() throws Exception {
        try (ScriptedDevice dev = new ScriptedDevice(true); ModbusClient link = ModbusClient.tcp("127.0.0.1", dev.port(), FAST)) {
            dev.thenPdu("81 02").thenPdu("03 02 00 07");
            RejectedException e = assertThrows(RejectedException.class, () -> link.read(0x11, Table.COIL, 0x04A1, 1));
            assertEquals("01 04 A1 00 01", pdu(dev.received().get(0)));
            assertEquals(2, e.code());
            assertTrue(e.getMessage().contains("exception 02 ILLEGAL DATA ADDRESS"), e.getMessage());
            // A refusal is a valid answer: the connection stays.
            assertEquals(7, link.read(0x11, Table.HOLDING, 0, 1).register(0));
            assertEquals(1, dev.connections());
        }
    }

    @Test
    void gatewayExceptionsMeanTheMeterBehindIsAway() throws Exception {
        try (ScriptedDevice dev = new ScriptedDevice(true); ModbusClient link = ModbusClient.tcp("127.0.0.1", dev.port(), FAST)) {
            dev.thenPdu("84 0B").thenPdu("84 0A").thenPdu("04 02 00 01");
            assertThrows(NoResponseException.class, () -> link.read(0x11, Table.INPUT, 0, 1));
            assertThrows(LinkDownException.class, () -> link.read(0x11, Table.INPUT, 0, 1));
            assertEquals(1, link.read(0x11, Table.INPUT, 0, 1).register(0));
            assertEquals(1, dev.connections(), "the connection to the gateway stays");
        }
    }

    @Test
    void transactionIdsAreTheLinksOwnAndChecked() throws Exception {
        try (ScriptedDevice dev = new ScriptedDevice(true); ModbusClient link = ModbusClient.tcp("127.0.0.1", dev.port(), FAST)) {
            dev.thenPdu("03 02 00 01").thenPdu("03 02 00 02");
            link.read(0x11, Table.HOLDING, 0, 1);
            link.read(0x11, Table.HOLDING, 0, 1);
            byte[] first = dev.received().get(0);
            byte[] second = dev.received().get(1);
            int t1 = ((first[0] & 0xFF) << 8) | (first[1] & 0xFF);
            int t2 = ((second[0] & 0xFF) << 8) | (second[1] & 0xFF);
            assertEquals(t1 + 1, t2, "consecutive ids on one link");

            // An answer with another transaction id is refused, and the connection replaced.
            dev.then(req -> {
                byte[] a = ScriptedDevice.mbapAnswer(req, 0x11, bytes("03 02 00 03"));
                a[1] ^= 0x55;
                return a;
            }).thenPdu("03 02 00 04");
            BadResponseException e = assertThrows(BadResponseException.class, () -> link.read(0x11, Table.HOLDING, 0, 1));
            assertTrue(e.getMessage().contains("transaction id"), e.getMessage());
            assertEquals(4, link.read(0x11, Table.HOLDING, 0, 1).register(0));
            assertEquals(2, dev.connections());
        }
    }

    @Test
    void answersThatDoNotFitTheRequestAreRefused() throws Exception {
        try (ScriptedDevice dev = new ScriptedDevice(true); ModbusClient link = ModbusClient.tcp("127.0.0.1", dev.port(), FAST)) {
            dev.then(req -> ScriptedDevice.mbapAnswer(req, 0x12, bytes("03 02 00 01")));
            assertThrows(BadResponseException.class, () -> link.read(0x11, Table.HOLDING, 0, 1), "other unit");
            dev.thenPdu("03 04 00 01 00 02");
            assertThrows(BadResponseException.class, () -> link.read(0x11, Table.HOLDING, 0, 1), "two registers for one");
            dev.thenPdu("04 02 00 01");
            assertThrows(BadResponseException.class, () -> link.read(0x11, Table.HOLDING, 0, 1), "other function");
            dev.thenPdu("06 00 01 00 04");
            assertThrows(BadResponseException.class, () -> link.writeRegister(0x11, 1, 3), "wrong echo");
            assertEquals(4, link.stats().badResponse());
        }
    }

    @Test
    void silenceIsNoResponseWithinTheTimeoutAndTheConnectionStays() throws Exception {
        try (ScriptedDevice dev = new ScriptedDevice(true); ModbusClient link = ModbusClient.tcp("127.0.0.1", dev.port(), FAST)) {
            dev.then(req -> null).thenPdu("03 02 00 09");
            long t0 = System.nanoTime();
            assertThrows(NoResponseException.class, () -> link.read(0x11, Table.HOLDING, 0, 1));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 2000, "bounded by the 250 ms timeout, not j2mod's 5 x 3 s: " + ms + " ms");
            assertEquals(9, link.read(0x11, Table.HOLDING, 0, 1).register(0));
            assertEquals(1, dev.connections(), "a timeout keeps the connection: transaction ids keep answers apart");
        }
    }

    @Test
    void aLateAnswerIsRecognisedByItsTransactionIdAndDropped() throws Exception {
        try (ScriptedDevice dev = new ScriptedDevice(true); ModbusClient link = ModbusClient.tcp("127.0.0.1", dev.port(), FAST)) {
            dev.then(req -> {
                sleep(450); // past the 250 ms timeout: the answer comes while the next request waits
                return ScriptedDevice.mbapAnswer(req, 0x11, bytes("03 02 00 01"));
            }).thenPdu("03 02 00 02");
            assertThrows(NoResponseException.class, () -> link.read(0x11, Table.HOLDING, 0, 1));
            assertEquals(2, link.read(0x11, Table.HOLDING, 0, 1).register(0), "the late 1 is not taken for this answer");
            assertEquals(1, link.stats().lateRepliesDiscarded());
            assertEquals(1, dev.connections(), "no reconnect for a late answer");
        }
    }

    @Test
    void aLateAnswerStillTricklingInDoesNotFailTheNextRequest() throws Exception {
        try (ScriptedDevice dev = new ScriptedDevice(true); ModbusClient link = ModbusClient.tcp("127.0.0.1", dev.port(), FAST)) {
            dev.then(req -> {
                sleep(300); // past the 250 ms timeout, and then only the start of it: the rest is still dripping
                return java.util.Arrays.copyOf(ScriptedDevice.mbapAnswer(req, 0x11, bytes("03 02 00 01")), 3);
            }).then(req -> null) // busy with the first answer, this device does not answer the second on that connection
                    .thenPdu("03 02 00 07");
            assertThrows(NoResponseException.class, () -> link.read(0x11, Table.HOLDING, 0, 1));
            assertEquals(7, link.read(0x11, Table.HOLDING, 1, 1).register(1),
                    "the second request is asked again on a fresh connection, not failed for the first one's answer");
            assertEquals(2, dev.connections());
        }
    }

    @Test
    void lengthErrorsAreBadResponsesInTheFieldsWords() throws Exception {
        try (ScriptedDevice dev = new ScriptedDevice(true); ModbusClient link = ModbusClient.tcp("127.0.0.1", dev.port(), FAST)) {
            dev.thenPdu("03 04 00 01");
            BadResponseException shortAnswer = assertThrows(BadResponseException.class,
                    () -> link.read(0x11, Table.HOLDING, 0, 2));
            assertTrue(shortAnswer.getMessage().startsWith("answer shorter than its byte count (2 of 4 bytes)"),
                    shortAnswer.getMessage());
            dev.then(req -> {
                byte[] a = ScriptedDevice.mbapAnswer(req, 0x11, bytes("03 02 00 01"));
                a[4] = (byte) 0xFF;
                a[5] = (byte) 0xFF;
                return a;
            });
            BadResponseException huge = assertThrows(BadResponseException.class, () -> link.read(0x11, Table.HOLDING, 0, 1));
            assertTrue(huge.getMessage().startsWith("answer with an MBAP length of 65535 (a Modbus frame has 2..254)"),
                    huge.getMessage());
            dev.thenPdu("03 02 00 05");
            assertEquals(5, link.read(0x11, Table.HOLDING, 0, 1).register(0), "a new connection after the bad header");
            assertEquals(2, dev.connections());
        }
    }

    @Test
    void refusedConnectionIsLinkDown() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (ModbusClient link = ModbusClient.tcp("127.0.0.1", port, FAST)) {
            LinkDownException e = assertThrows(LinkDownException.class, () -> link.read(1, Table.INPUT, 0, 2));
            assertTrue(e.getMessage().contains("refused"), e.getMessage());
            assertTrue(e.silent());
        }
    }

    @Test
    void connectionClosedWhileIdleIsReopenedOnce() throws Exception {
        try (ScriptedDevice dev = new ScriptedDevice(true); ModbusClient link = ModbusClient.tcp("127.0.0.1", dev.port(), FAST)) {
            dev.thenPdu("03 02 00 01");
            link.read(0x11, Table.HOLDING, 0, 1);
            dev.dropConnections();
            Thread.sleep(50);
            dev.thenPdu("03 02 00 02");
            assertEquals(2, link.read(0x11, Table.HOLDING, 0, 1).register(0));
            assertEquals(2, dev.connections());
        }
    }

    @Test
    void rtuOverTcpFramesCarryTheCrcOfTheSerialLineExample() throws Exception {
        try (ScriptedDevice dev = new ScriptedDevice(false);
             ModbusClient link = ModbusClient.rtuOverTcp("127.0.0.1", dev.port(), FAST_RTU)) {
            dev.thenRaw("11 03 06 02 2B 00 00 00 64 C8 BA");
            RegisterBlock b = link.read(0x11, Table.HOLDING, 0x6B, 3);
            assertEquals("11 03 00 6B 00 03 76 87", hex(dev.received().get(0)));
            assertEquals(0x022B, b.register(0x6B));
            assertEquals(0x64, b.register(0x6D));

            dev.thenRaw("11 83 02 C1 34");
            RejectedException r = assertThrows(RejectedException.class, () -> link.read(0x11, Table.HOLDING, 0x6B, 3));
            assertEquals(2, r.code());

            dev.thenRaw("11 10 00 01 00 02 12 98");
            link.writeRegisters(0x11, 1, bytes("00 0A 01 02"));
            assertEquals("11 10 00 01 00 02 04 00 0A 01 02 C6 F0", hex(dev.received().get(2)));
        }
    }

    @Test
    void rtuOverTcpRefusesABadCrc() throws Exception {
        // j2mod's own RTU-over-TCP reader skips the CRC; the link's must not.
        try (ScriptedDevice dev = new ScriptedDevice(false);
             ModbusClient link = ModbusClient.rtuOverTcp("127.0.0.1", dev.port(), FAST_RTU)) {
            dev.thenRaw("11 04 02 00 0A F8 F5").thenRaw("11 04 02 00 0A F8 F4");
            BadResponseException e = assertThrows(BadResponseException.class, () -> link.read(0x11, Table.INPUT, 8, 1));
            assertTrue(e.getMessage().contains("CRC"), e.getMessage());
            assertEquals(10, link.read(0x11, Table.INPUT, 8, 1).register(8));
        }
    }

    @Test
    void anRtuAnswerShorterThanItsByteCountIsABadAnswerNotATimeout() throws Exception {
        try (ScriptedDevice dev = new ScriptedDevice(false);
             ModbusClient link = ModbusClient.rtuOverTcp("127.0.0.1", dev.port(), FAST_RTU)) {
            // Byte count 4, two data bytes, and a valid CRC over what was sent: a complete frame that lies.
            dev.thenRaw("11 03 04 00 01 58 46").thenRaw("11 03 02 00 0A F9 80");
            BadResponseException e = assertThrows(BadResponseException.class, () -> link.read(0x11, Table.HOLDING, 0, 2));
            assertTrue(e.getMessage().startsWith("answer shorter than its byte count (2 of 4 bytes)"), e.getMessage());
            assertEquals(10, link.read(0x11, Table.HOLDING, 0, 1).register(0), "the line is read again");
        }
    }

    @Test
    void rtuOverTcpRefusesAnAnswerFollowedByMoreBytes() throws Exception {
        try (ScriptedDevice dev = new ScriptedDevice(false);
             ModbusClient link = ModbusClient.rtuOverTcp("127.0.0.1", dev.port(), FAST_RTU)) {
            dev.thenRaw("11 04 02 00 0A F8 F4 11 04 02 00 0B");
            assertThrows(BadResponseException.class, () -> link.read(0x11, Table.INPUT, 8, 1));
        }
    }

    @Test
    void missingSerialPortIsLinkDown() {
        try (ModbusClient link = ModbusClient.serial(io.edgegateway.serial.SerialSettings.of("/dev/ttyNoSuchAdapter", 9600))) {
            long t0 = System.nanoTime();
            LinkDownException e = assertThrows(LinkDownException.class, () -> link.read(1, Table.INPUT, 0, 2));
            assertTrue(e.getMessage().contains("/dev/ttyNoSuchAdapter"), e.getMessage());
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 3000, "fails fast");
            assertEquals("rtu /dev/ttyNoSuchAdapter 9600 8N1", link.describe());
        }
    }

    @Test
    void unitIdsOutsideTheFramingAreRefusedBeforeSending() {
        ModbusClient rtu = ModbusClient.rtuOverTcp("127.0.0.1", 1, FAST_RTU);
        assertThrows(IllegalArgumentException.class, () -> rtu.read(0, Table.INPUT, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> rtu.read(248, Table.INPUT, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> rtu.read(1, Table.INPUT, 0, 126));
        assertThrows(IllegalArgumentException.class, () -> rtu.writeRegister(1, 0, 70000));
    }
}
