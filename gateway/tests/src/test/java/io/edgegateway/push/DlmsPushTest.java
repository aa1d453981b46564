package io.edgegateway.push;

import io.edgegateway.app.Gateway;
import io.edgegateway.app.ProtocolConnector;
import io.edgegateway.config.ConfigLoader;
import io.edgegateway.dlms.push.PushObject;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.sim.dlms.DlmsSimulator;
import io.edgegateway.sim.dlms.MeterAccess;
import io.edgegateway.sim.dlms.PushSender;
import io.edgegateway.sse.SseTestClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.BindException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DLMS push end to end on 127.0.0.1: a gateway polling a simulated DLMS meter over the wrapper, with dlms-push on a
 * free port, and the simulator's {@link PushSender} (or a raw socket) pushing to it.
 */
class DlmsPushTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String METER = "62124022447";
    private static final byte[] EK = MeterAccess.EXAMPLE_BLOCK_CIPHER_KEY;
    private static final byte[] AK = MeterAccess.EXAMPLE_AUTHENTICATION_KEY;
    private static final byte[] TITLE = java.util.HexFormat.of().parseHex("4D4D4D0000BC614E");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private DlmsSimulator sim;
    private Gateway gateway;

    @TempDir
    Path state;

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (sim != null) {
            sim.stop();
        }
    }

    /** The meter polled once an hour (so every later event is a push) and dlms-push with {@code listen}. */
    private void start(String listen) throws Exception {
        sim = DlmsSimulator.builder().wrapperTcp().port(0).serialNumber(METER).build().start();
        sim.device().freeze(true);
        String objects = sender(null).objects().stream().map(DlmsPushTest::yaml)
                .collect(Collectors.joining("\n"));
        gateway = Gateway.start(ConfigLoader.loadYaml("""
                state-dir: "%s"
                server: {port: 0}
                buses: [{name: d, type: dlms-tcp, host: 127.0.0.1, port: %d}]
                devices: [{meter-no: "%s", bus: d, profile: dlms-standard, interval: 1h}]
                dlms-push:
                  listen: %s
                  devices:
                    - meter-no: "%s"
                      system-title: "4D4D4D0000BC614E"
                      block-cipher-key: "000102030405060708090A0B0C0D0E0F"
                      authentication-key: "D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF"
                      objects:
                %s
                """.formatted(state, sim.port(), METER, listen, METER, objects), "push.yaml", Path.of(".")),
                new ProtocolConnector(), Clock.systemUTC());
        assertEquals(PushHealth.State.LISTENING, gateway.push().state());
    }

    private static String yaml(PushObject o) {
        return "            - {cosem: " + o.address().describe() + ", scaler: " + o.scaler()
                + (o.unit().isEmpty() ? "" : ", unit: \"" + o.unit() + "\"") + "}";
    }

    /** A sender for the simulated meter's values; {@code ak} null for the right authentication key. */
    private PushSender sender(byte[] ak) {
        PushSender.Builder b = PushSender.builder(sim.device()).systemTitle(TITLE)
                .keys(EK, ak == null ? AK : ak).every(Duration.ofMillis(200)).backoff(Duration.ofMillis(100));
        if (gateway != null) {
            b.target("127.0.0.1", gateway.push().port());
        } else {
            b.target("127.0.0.1", 1); // only asked for its objects
        }
        return b.build();
    }

    private PushSender started(PushSender s) {
        closing.add(s);
        return s.start();
    }

    private JsonObject health() throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/health"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        return Json.createReader(new StringReader(body)).readObject().getJsonObject("push");
    }

    private String metrics() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    private Point point(String name) {
        return sim.device().profile().point(name).orElseThrow();
    }

    private static PointValue number(String v) {
        return new PointValue.Number(new BigDecimal(v));
    }

    private Socket raw() throws Exception {
        Socket s = new Socket("127.0.0.1", gateway.push().port());
        s.setSoTimeout((int) WAIT.toMillis());
        closing.add(s);
        return s;
    }

    /** The gateway closed it: end of stream, or a reset when it closed with our bytes unread. */
    private static void assertClosedByTheGateway(Socket s, String why) {
        try {
            assertEquals(-1, s.getInputStream().read(), why);
        } catch (java.net.SocketException e) {
            assertTrue(String.valueOf(e.getMessage()).contains("reset"), why + ": " + e);
        } catch (java.io.IOException e) {
            throw new AssertionError(why, e);
        }
    }

    @Test
    void pushedValuesArriveAsTheMetersDataEventsScaledAndTimedByTheMeter() throws Exception {
        start("{port: 0, bind: 127.0.0.1}");
        SseTestClient sse = SseTestClient.open(http, URI.create("http://127.0.0.1:" + gateway.port()
                + "/api/sse/meters"), Map.of());
        closing.add(sse);
        assertNotNull(sse.next("data", WAIT), "the first poll");
        // Values only a push can bring now: the next poll is an hour away.
        sim.device().pin("Import active energy", number("1234.56"));
        sim.device().pin("L1 Voltage", number("229.7"));
        sim.device().pin("L1 Current", number("5.43"));
        // A meter on CET: 12:30 local with deviation -60 is 11:30 UTC.
        Instant sentAt = Instant.parse("2025-06-15T11:30:00Z");
        PushSender s = PushSender.builder(sim.device()).systemTitle(TITLE).keys(EK, AK).every(Duration.ofMillis(200))
                .clock(Clock.fixed(sentAt, ZoneOffset.UTC)).deviation(-60)
                .target("127.0.0.1", gateway.push().port()).build();
        started(s);

        JsonObject r = null;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            SseTestClient.Event e = sse.next("data", WAIT);
            assertNotNull(e, "a data event");
            r = Json.createReader(new StringReader(e.data())).readObject();
            if (r.getString("Import active energy").equals("1234.56 kWh")) {
                break;
            }
        }
        assertNotNull(r);
        assertEquals(METER, r.getString("meterNo"));
        assertEquals("1234.56 kWh", r.getString("Import active energy"), "pushed as 123456 Wh x 10^1, shown in kWh");
        assertEquals("229.7 V", r.getString("L1 Voltage"));
        assertEquals("5.43 A", r.getString("L1 Current"));
        for (String name : List.of("Export active energy", "Total Active Power")) {
            Point p = point(name);
            assertEquals(p.display(sim.device().value(p)), r.getString(name), name + " as the simulator has it");
        }
        assertEquals("2025-06-15T11:30:00.000Z", r.getString("timestamp"), "the notification's date-time, in UTC");
        assertEquals("229.7 V", gateway.hub().latest(METER).orElseThrow().values().get("L1 Voltage").display());

        await("the push counted", () -> gateway.push().total().accepted() >= 1);
        JsonObject h = health();
        assertEquals("LISTENING", h.getString("status"));
        assertEquals(gateway.push().port(), h.getInt("port"));
        JsonObject meter = h.getJsonArray("meters").getJsonObject(0);
        assertEquals(METER, meter.getString("meterNo"));
        assertEquals("4D4D4D0000BC614E", meter.getString("systemTitle"));
        assertTrue(meter.getJsonNumber("accepted").longValue() >= 1, h.toString());
        assertTrue(meter.getString("lastPush").matches("\\d{4}-.*Z"), h.toString());
        assertEquals(0, h.getJsonObject("refused").getInt("bad-tag"));
        assertTrue(metrics().contains("gateway_push_meter_accepted_total{meter=\"" + METER + "\"}"));
    }

    @Test
    void aWrongKeyOrAnUnknownSystemTitleIsRefusedAndCounted() throws Exception {
        start("{port: 0}");
        started(sender(java.util.HexFormat.of().parseHex("00000000000000000000000000000000")));
        PushSender stranger = PushSender.builder(sim.device()).systemTitle("STRANGER".getBytes()).keys(EK, AK)
                .every(Duration.ofMillis(200)).target("127.0.0.1", gateway.push().port()).build();
        started(stranger);
        await("both refused", () -> gateway.push().total().refused(Refusal.BAD_TAG) >= 2
                && gateway.push().total().refused(Refusal.UNKNOWN_SENDER) >= 2);
        assertEquals(0, gateway.push().total().accepted());
        JsonObject h = health();
        assertTrue(h.getJsonObject("refused").getInt("bad-tag") >= 2, h.toString());
        assertTrue(h.getJsonObject("refused").getInt("unknown-sender") >= 2, h.toString());
        JsonObject meter = h.getJsonArray("meters").getJsonObject(0);
        assertTrue(meter.getJsonObject("refused").getInt("bad-tag") >= 2, "a wrong key is the meter's: " + h);
        assertEquals(0, meter.getJsonObject("refused").getInt("unknown-sender"), "a stranger is nobody's: " + h);
        assertTrue(meter.isNull("lastPush"));
        String m = metrics();
        assertTrue(m.contains("gateway_push_refused_total{reason=\"bad-tag\"}"), m);
        assertTrue(m.contains("gateway_push_accepted_total 0"), m);
        assertTrue(stranger.connects() == 1, "refusals leave a well-framed connection open");
        // The right key still gets through, on the same listener.
        started(sender(null));
        await("a good push", () -> gateway.push().total().accepted() >= 1);
    }

    @Test
    void aReplayedFrameIsRefused() throws Exception {
        start("{port: 0}");
        PushSender s = sender(null);
        byte[] frame = s.nextFrame();
        try (Socket socket = raw()) {
            OutputStream out = socket.getOutputStream();
            out.write(frame);
            out.flush();
            await("the first accepted", () -> gateway.push().total().accepted() == 1);
            out.write(frame);
            out.flush();
            await("the replay refused", () -> gateway.push().total().refused(Refusal.REPLAY) == 1);
            out.write(s.nextFrame());
            out.flush();
            await("the next accepted", () -> gateway.push().total().accepted() == 2);
        }
        assertEquals(1, health().getJsonArray("meters").getJsonObject(0).getJsonObject("refused").getInt("replay"));
    }

    @Test
    void garbageClosesItsConnectionOnlyAndTheListenerGoesOn() throws Exception {
        start("{port: 0, max-connections: 3, idle-timeout: 1s}");
        PushSender good = started(sender(null));
        await("pushes flowing", () -> gateway.push().total().accepted() >= 1);

        byte[] noise = new byte[512];
        new Random(7).nextBytes(noise);
        noise[0] = 0x55; // not wrapper version 1
        try (Socket g = raw()) {
            g.getOutputStream().write(noise);
            assertClosedByTheGateway(g, "a stream of garbage");
        }
        try (Socket big = raw()) {
            big.getOutputStream().write(new byte[] {0, 1, 0, 1, 0, 1, (byte) 0xFF, (byte) 0xFF});
            assertClosedByTheGateway(big, "a frame above 4 KB is not read");
        }
        try (Socket bad = raw()) {
            // A well-framed APDU that is no push: refused, connection kept.
            byte[] frame = io.edgegateway.dlms.wrapper.WrapperHeader.frame(1, 1, new byte[] {(byte) 0xC0, 1});
            bad.getOutputStream().write(frame);
            await("counted", () -> gateway.push().total().refused(Refusal.MALFORMED) >= 3);
        }
        long before = gateway.push().total().accepted();
        await("the good sender goes on", () -> gateway.push().total().accepted() > before + 1);
        assertTrue(gateway.push().total().refused(Refusal.MALFORMED) >= 3);

        // An idle connection is closed after idle-timeout (1 s).
        try (Socket idle = raw()) {
            InputStream in = idle.getInputStream();
            long t0 = System.nanoTime();
            assertEquals(-1, in.read());
            assertTrue(System.nanoTime() - t0 >= 500_000_000L, "not before the idle timeout");
        }
        // max-connections 3: the sender and two idle ones take them, a fourth is closed at once.
        await("only the sender left", () -> gateway.push().openConnections() == 1);
        try (Socket a = raw(); Socket b = raw()) {
            await("two open", () -> gateway.push().openConnections() == 3);
            try (Socket c = raw()) {
                assertClosedByTheGateway(c, "refused at the limit");
            }
            assertEquals(1, gateway.push().connectionsRefused());
        }
        assertTrue(metrics().contains("gateway_push_connections_refused_total 1"));
        long later = gateway.push().total().accepted();
        await("still pushing", () -> gateway.push().total().accepted() > later);
    }

    @Test
    void withoutDlmsPushNothingListensAndATakenPortFailsTheStart() throws Exception {
        sim = DlmsSimulator.builder().wrapperTcp().port(0).serialNumber(METER).build().start();
        String base = """
                state-dir: "%s"
                server: {port: 0}
                buses: [{name: d, type: dlms-tcp, host: 127.0.0.1, port: %d}]
                devices: [{meter-no: "%s", bus: d, profile: dlms-standard, interval: 1h}]
                """.formatted(state, sim.port(), METER);
        gateway = Gateway.start(ConfigLoader.loadYaml(base, "push.yaml", Path.of(".")), new ProtocolConnector(),
                Clock.systemUTC());
        assertEquals(PushHealth.DISABLED, gateway.push());
        assertEquals("DISABLED", health().getString("status"));
        gateway.close();
        gateway = null;

        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            String yaml = base + """
                    dlms-push:
                      listen: {port: %d}
                      devices:
                        - meter-no: "%s"
                          system-title: "4D4D4D0000BC614E"
                          block-cipher-key: "000102030405060708090A0B0C0D0E0F"
                          authentication-key: "D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF"
                          objects: [{cosem: 3/1.0.1.8.0.255/2, scaler: 1, unit: Wh}]
                    """.formatted(taken.getLocalPort(), METER);
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Gateway.start(ConfigLoader
                    .loadYaml(yaml, "push.yaml", Path.of(".")), new ProtocolConnector(), Clock.systemUTC()));
            assertInstanceOf(BindException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("push.yaml: dlms-push cannot listen on 127.0.0.1:"
                    + taken.getLocalPort()), e.getCause().getMessage());
        }
        // Nothing was left behind by the failed start: the same store opens again.
        gateway = Gateway.start(ConfigLoader.loadYaml(base, "push.yaml", Path.of(".")), new ProtocolConnector(),
                Clock.systemUTC());
    }
}
