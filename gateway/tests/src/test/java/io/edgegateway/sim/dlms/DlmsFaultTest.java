package io.edgegateway.sim.dlms;

import io.edgegateway.device.BadResponseException;
import io.edgegateway.device.DeviceException;
import io.edgegateway.device.LinkDownException;
import io.edgegateway.device.NoResponseException;
import io.edgegateway.device.RejectedException;
import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.apdu.DataAccessResult;
import io.edgegateway.dlms.client.DlmsMeter;
import io.edgegateway.dlms.client.DlmsSettings;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.testing.VirtualSerialCable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.edgegateway.sim.dlms.DlmsClientSimulatorTest.assertSameAsDevice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failures come out as the right {@link DeviceException} kind within the timeout, and the next read recovers by
 * reconnecting. Timeouts are short (400 ms) so the whole class stays fast.
 */
@Timeout(60)
class DlmsFaultTest {

    private static final Duration TIMEOUT = Duration.ofMillis(400);
    private static final byte[] CLIENT_TITLE = HexFormat.of().parseHex("4D4D4D0000BC614E");

    @TempDir
    Path state;

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    private DlmsSimulator start(DlmsSimulator.Builder b) throws Exception {
        DlmsSimulator sim = b.build().start();
        cleanup.add(sim);
        sim.device().freeze(true);
        return sim;
    }

    private DlmsMeter meter(DlmsSettings s) {
        DlmsMeter m = new DlmsMeter(s);
        cleanup.add(m);
        return m;
    }

    private List<Point> points(DlmsSimulator sim) {
        return sim.device().profile().points();
    }

    private static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Test
    void silentMeterIsNoResponseWithinTheTimeoutAndRecovers() throws Exception {
        DlmsSimulator sim = start(DlmsSimulator.builder().hdlcTcp());
        DlmsMeter m = meter(DlmsSettings.builder().hdlcTcp("127.0.0.1", sim.port()).responseTimeout(TIMEOUT).build());
        m.read(points(sim));
        sim.faults().silence(true);
        long t = System.nanoTime();
        DeviceException e = assertThrows(NoResponseException.class, () -> m.read(points(sim)));
        assertTrue(e.silent());
        assertTrue(elapsedMillis(t) < 3000, "bounded by the timeout: " + elapsedMillis(t) + " ms");
        assertTrue(e.getMessage().contains("no answer within 400 ms"), e.getMessage());
        sim.faults().silence(false);
        assertSameAsDevice(sim, m.read(points(sim)));
    }

    @Test
    void slowMeterBeyondTheTimeoutIsNoResponse() throws Exception {
        DlmsSimulator sim = start(DlmsSimulator.builder().wrapperTcp());
        sim.faults().delay(Duration.ofMillis(900));
        DlmsMeter m = meter(DlmsSettings.builder().wrapperTcp("127.0.0.1", sim.port()).responseTimeout(TIMEOUT).build());
        assertThrows(NoResponseException.class, () -> m.read(points(sim)));
        sim.faults().delay(Duration.ofMillis(50));
        assertSameAsDevice(sim, m.read(points(sim)));
    }

    @Test
    void dataAccessErrorsNameTheResultAndSpareTheOtherPoints() throws Exception {
        DlmsSimulator sim = start(DlmsSimulator.builder().wrapperTcp());
        sim.faults().failAttribute(ObisCode.parse("1.0.32.7.0.255"), 2, DataAccessResult.OBJECT_UNDEFINED);
        sim.faults().failObject(ObisCode.parse("1.0.14.7.0.255"), DataAccessResult.READ_WRITE_DENIED);
        DlmsMeter m = meter(DlmsSettings.builder().wrapperTcp("127.0.0.1", sim.port()).build());
        Map<Point, PointValue> v = m.read(points(sim));
        Point l1 = sim.device().profile().point("L1 Voltage").orElseThrow();
        PointValue.Invalid bad = assertInstanceOf(PointValue.Invalid.class, v.get(l1));
        assertTrue(bad.reason().contains("object-undefined (4)"), bad.reason());
        assertTrue(bad.reason().contains("3/1.0.32.7.0.255/2"), bad.reason());
        Point hz = sim.device().profile().point("Frequency").orElseThrow();
        PointValue.Invalid denied = assertInstanceOf(PointValue.Invalid.class, v.get(hz));
        assertTrue(denied.reason().contains("read-write-denied"), denied.reason());
        Point l2 = sim.device().profile().point("L2 Voltage").orElseThrow();
        assertInstanceOf(PointValue.Number.class, v.get(l2));

        // Objects the meter does not have.
        Point ghost = new Point("Ghost", io.edgegateway.point.CosemAddress.parse("3/1.0.99.99.0.255/2"),
                null, 1, "V", null, null, null, "");
        PointValue g = m.read(List.of(ghost)).get(ghost);
        assertTrue(((PointValue.Invalid) g).reason().contains("object-undefined"), g.toString());
        RejectedException noSerial = assertThrows(RejectedException.class, () -> {
            sim.faults().failObject(ObisCode.parse("0.0.96.1.0.255"), DataAccessResult.OBJECT_UNAVAILABLE);
            m.readSerialNumber();
        });
        assertEquals(11, noSerial.code());
    }

    @Test
    void corruptFrameCheckSequenceIsBadResponseThenReconnects() throws Exception {
        DlmsSimulator sim = start(DlmsSimulator.builder().hdlcTcp());
        DlmsMeter m = meter(DlmsSettings.builder().hdlcTcp("127.0.0.1", sim.port()).responseTimeout(TIMEOUT).build());
        m.read(points(sim));
        long associations = sim.served().associations();
        sim.faults().corruptNextFrames(1);
        // The kept association gets a broken frame: the driver reconnects once within the read and succeeds.
        assertSameAsDevice(sim, m.read(points(sim)));
        assertEquals(associations + 1, sim.served().associations(), "a fresh association after the broken frame");
        // A fresh connection that gets broken frames fails clearly.
        m.close();
        sim.faults().corruptNextFrames(1);
        BadResponseException e = assertThrows(BadResponseException.class, () -> m.read(points(sim)));
        assertTrue(e.getMessage().contains("frame check sequence"), e.getMessage());
        assertSameAsDevice(sim, m.read(points(sim)));
    }

    @Test
    void truncatedFramesEndAtTheDeadlineAsIncompleteAnswersNotHangs() throws Exception {
        DlmsSimulator sim = start(DlmsSimulator.builder().hdlcTcp());
        DlmsMeter m = meter(DlmsSettings.builder().hdlcTcp("127.0.0.1", sim.port()).responseTimeout(TIMEOUT).build());
        sim.faults().truncateNextFrames(1);
        long t = System.nanoTime();
        // Half a frame and then nothing looks, until the deadline, like a device still sending: an incomplete answer.
        NoResponseException e = assertThrows(NoResponseException.class, () -> m.read(points(sim)));
        assertTrue(e.getMessage().contains("incomplete"), e.getMessage());
        assertTrue(elapsedMillis(t) < 3000);
        assertSameAsDevice(sim, m.read(points(sim)));

        DlmsSimulator w = start(DlmsSimulator.builder().wrapperTcp());
        DlmsMeter mw = meter(DlmsSettings.builder().wrapperTcp("127.0.0.1", w.port()).responseTimeout(TIMEOUT).build());
        w.faults().truncateNextFrames(1);
        assertTrue(assertThrows(NoResponseException.class, () -> mw.read(points(w))).getMessage().contains("incomplete"));
        w.faults().corruptNextFrames(1);
        assertTrue(assertThrows(BadResponseException.class, () -> mw.read(points(w))).getMessage()
                .contains("wrapper version"));
        assertSameAsDevice(w, mw.read(points(w)));
    }

    @Test
    void meterDownIsLinkDownAndAMeterRebootIsSurvived() throws Exception {
        DlmsSimulator sim = start(DlmsSimulator.builder().wrapperTcp());
        DlmsMeter m = meter(DlmsSettings.builder().wrapperTcp("127.0.0.1", sim.port()).responseTimeout(TIMEOUT)
                .connectTimeout(TIMEOUT).build());
        m.read(points(sim));
        sim.stop();
        LinkDownException e = assertThrows(LinkDownException.class, () -> m.read(points(sim)));
        assertTrue(e.silent());
        sim.start();
        assertSameAsDevice(sim, m.read(points(sim)));
        // The meter drops the connection (inactivity timeout): the next read reconnects by itself.
        sim.dropConnections();
        assertSameAsDevice(sim, m.read(points(sim)));
    }

    @Test
    void meterWithoutListsIsReadOneByOne() throws Exception {
        DlmsSimulator sim = start(DlmsSimulator.builder().hdlcTcp().withList(false));
        DlmsMeter m = meter(DlmsSettings.builder().hdlcTcp("127.0.0.1", sim.port()).build());
        long before = sim.served().services();
        assertSameAsDevice(sim, m.read(points(sim)));
        // 15 values and 13 scaler_units (12 registers + the account's currency; the limiter's two thresholds have
        // none), one GET each
        assertEquals(28, sim.served().services() - before);
        assertTrue(!m.connection().withListAvailable());
    }

    @Test
    void wrongPasswordAndWrongKeysAreRejectedAssociations() throws Exception {
        DlmsSimulator sim = start(DlmsSimulator.builder().hdlcTcp());
        DlmsMeter lls = meter(DlmsSettings.builder().hdlcTcp("127.0.0.1", sim.port()).client(32).lls("wrong").build());
        RejectedException e = assertThrows(RejectedException.class, () -> lls.read(points(sim)));
        assertTrue(e.getMessage().contains("authentication-failure"), e.getMessage());
        assertTrue(e.getMessage().contains("wrong password"), e.getMessage());
        assertTrue(!e.getMessage().contains("wrong\""), "the password itself is not in the message");

        DlmsMeter hls = meter(DlmsSettings.builder().hdlcTcp("127.0.0.1", sim.port()).client(48)
                .hlsGmac(new byte[16], MeterAccess.EXAMPLE_AUTHENTICATION_KEY, CLIENT_TITLE).stateDirectory(state).build());
        RejectedException k = assertThrows(RejectedException.class, () -> hls.read(points(sim)));
        assertTrue(k.getMessage().contains("authentication-failure"), k.getMessage());

        DlmsMeter unauthenticated = meter(DlmsSettings.builder().hdlcTcp("127.0.0.1", sim.port()).client(48).build());
        assertThrows(RejectedException.class, () -> unauthenticated.read(points(sim)));
    }

    private DlmsSettings hls(DlmsSimulator sim, boolean dedicated) {
        return DlmsSettings.builder().wrapperTcp("127.0.0.1", sim.port()).client(48)
                .hlsGmac(MeterAccess.EXAMPLE_BLOCK_CIPHER_KEY, MeterAccess.EXAMPLE_AUTHENTICATION_KEY, CLIENT_TITLE)
                .dedicatedKey(dedicated).stateDirectory(state).build();
    }

    @Test
    void invocationCounterSurvivesARestartAndAReplayIsRejected() throws Exception {
        DlmsSimulator sim = start(DlmsSimulator.builder().wrapperTcp());
        Path file = state.resolve(hls(sim, false).counterKey() + ".ic");

        DlmsMeter first = meter(hls(sim, false));
        assertSameAsDevice(sim, first.read(points(sim)));
        long seen = sim.lastClientCounter(CLIENT_TITLE);
        assertTrue(seen > 0);
        first.close();
        Path saved = state.resolve("saved.ic");
        Files.copy(file, saved);

        // The gateway restarts: a new meter object over the same state directory.
        DlmsMeter second = meter(hls(sim, true));
        assertSameAsDevice(sim, second.read(points(sim)));
        long later = sim.lastClientCounter(CLIENT_TITLE);
        assertTrue(later > seen, "counter went on: " + seen + " -> " + later);
        second.close();

        // State rolled back (a restored backup): the counters are ones the meter has seen.
        Files.copy(saved, file, StandardCopyOption.REPLACE_EXISTING);
        DlmsMeter replay = meter(hls(sim, false));
        RejectedException e = assertThrows(RejectedException.class, () -> replay.read(points(sim)));
        assertTrue(e.getMessage().contains("invocation counter"), e.getMessage());
        assertEquals(later, sim.lastClientCounter(CLIENT_TITLE), "the meter did not accept the old counter");
    }

    @Test
    void anAnswerWithLessProtectionThanAskedForIsRefused() throws Exception {
        DlmsSimulator sim = start(DlmsSimulator.builder().wrapperTcp());
        DlmsMeter m = meter(hls(sim, false));
        assertSameAsDevice(sim, m.read(points(sim)));
        for (int downgraded : new int[] {0x00, 0x10, 0x20}) {
            sim.faults().answerSecurityControl(downgraded);
            BadResponseException e = assertThrows(BadResponseException.class, () -> m.read(points(sim)),
                    "security control " + downgraded);
            assertTrue(e.getMessage().contains("not authenticated and encrypted"), e.getMessage());
        }
        sim.faults().clear();
        assertSameAsDevice(sim, m.read(points(sim)));
    }

    /** A fake meter that answers every request with {@code reply}, to feed the client what a real one never would. */
    private int fakeMeter(byte[] reply) throws Exception {
        ServerSocket server = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
        cleanup.add(server);
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    byte[] buf = new byte[512];
                    while (in.read(buf) > 0) {
                        out.write(reply);
                        out.flush();
                    }
                } catch (Exception e) {
                    // next connection
                }
            }
        });
        return server.getLocalPort();
    }

    @Test
    void unexpectedPdusAndGarbageAreBadResponses() throws Exception {
        // A wrapper frame carrying a get-response where an AARE belongs.
        byte[] getResponse = HexFormat.of().parseHex("0001000100100005" + "C401C10000");
        int port = fakeMeter(getResponse);
        DlmsMeter m = meter(DlmsSettings.builder().wrapperTcp("127.0.0.1", port).responseTimeout(TIMEOUT).build());
        BadResponseException e = assertThrows(BadResponseException.class, () -> m.read(List.of(
                DlmsSimulator.defaultProfile().points().get(0))));
        assertTrue(e.getMessage().contains("expected AARE, got get-response"), e.getMessage());

        // HTTP on the port: not a wrapper stream.
        int http = fakeMeter("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes());
        DlmsMeter h = meter(DlmsSettings.builder().wrapperTcp("127.0.0.1", http).responseTimeout(TIMEOUT).build());
        assertTrue(assertThrows(BadResponseException.class, () -> h.read(DlmsSimulator.defaultProfile().points()))
                .getMessage().contains("wrapper version"));

        // Noise on an HDLC line: no frame, a clear error after the timeout.
        int noise = fakeMeter("+++ATZ\r\nOK\r\n".getBytes());
        DlmsMeter n = meter(DlmsSettings.builder().hdlcTcp("127.0.0.1", noise).responseTimeout(TIMEOUT).build());
        long t = System.nanoTime();
        BadResponseException ne = assertThrows(BadResponseException.class, () -> n.read(DlmsSimulator.defaultProfile().points()));
        assertTrue(ne.getMessage().contains("no valid HDLC frame"), ne.getMessage());
        assertTrue(elapsedMillis(t) < 3000);

        // An HDLC DM to SNRM: the meter refuses the connection.
        byte[] dm = new io.edgegateway.dlms.hdlc.HdlcFrame(io.edgegateway.dlms.hdlc.HdlcAddress.client(16),
                io.edgegateway.dlms.hdlc.HdlcAddress.server(1, 0, 0),
                io.edgegateway.dlms.hdlc.HdlcControl.of(io.edgegateway.dlms.hdlc.HdlcControl.Kind.DM, true), false, null)
                .encode();
        int refuses = fakeMeter(dm);
        DlmsMeter r = meter(DlmsSettings.builder().hdlcTcp("127.0.0.1", refuses).responseTimeout(TIMEOUT).build());
        assertTrue(assertThrows(BadResponseException.class, () -> r.read(DlmsSimulator.defaultProfile().points()))
                .getMessage().contains("DM"));
    }

    @Test
    void nothingListeningIsLinkDown() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        DlmsMeter m = meter(DlmsSettings.builder().wrapperTcp("127.0.0.1", port).connectTimeout(TIMEOUT).build());
        LinkDownException e = assertThrows(LinkDownException.class, () -> m.read(DlmsSimulator.defaultProfile().points()));
        assertTrue(e.getMessage().contains("connection to 127.0.0.1:" + port + " refused"), e.getMessage());
        DlmsMeter serial = meter(DlmsSettings.builder().hdlcSerial(io.edgegateway.serial.SerialSettings.of(
                state.resolve("no-such-tty").toString(), 9600)).build());
        assertThrows(LinkDownException.class, () -> serial.read(DlmsSimulator.defaultProfile().points()));
    }

    @Test
    void modeESignOnOnAPty() throws Exception {
        VirtualSerialCable pty = new VirtualSerialCable(state);
        cleanup.add(pty);
        DlmsSimulator sim = start(DlmsSimulator.builder().hdlcSerial(
                io.edgegateway.serial.SerialSettings.of(pty.a(), 9600)));
        DlmsMeter m = meter(DlmsSettings.builder().hdlcSerial(io.edgegateway.serial.SerialSettings.of(pty.b(), 9600))
                .modeE(true).responseTimeout(Duration.ofSeconds(2)).build());
        assertSameAsDevice(sim, m.read(points(sim)));
        m.close();
        // A second session signs on again.
        assertSameAsDevice(sim, m.read(points(sim)));
    }
}
