package io.edgegateway.sse;

import io.edgegateway.app.ApiHarness;
import io.edgegateway.testing.ExternalTools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * gzip on streams and REST replies, decoded by curl (its own zlib build, not the JDK's) and checked against the
 * gzip member header of RFC 1952, so that a compressor and decompressor that agree on a mistake cannot pass.
 */
class CompressionTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    /** RFC 1952 2.3.1: ID1, ID2, CM = 8 (deflate). */
    private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b, 8};

    private ApiHarness gw;
    private final List<Process> curls = new ArrayList<>();

    @BeforeAll
    static void needCurl() {
        ExternalTools.require(ExternalTools.onPath("curl"), "curl is not installed (apt-get install curl)");
    }

    @AfterEach
    void stop() {
        curls.forEach(Process::destroyForcibly);
        if (gw != null) {
            gw.close();
        }
    }

    /** curl -N --compressed on a stream: its decoded lines, as they arrive. */
    private BlockingQueue<String> curlStream(String path, Path headers) throws IOException {
        Process p = new ProcessBuilder("curl", "-sN", "--compressed", "-D", headers.toString(),
                gw.uri(path).toString()).redirectErrorStream(true).start();
        curls.add(p);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("(curl output ended: " + e + ")");
            }
        });
        return lines;
    }

    /** The next {@code data:} line after an {@code event: name} line. */
    private static String nextData(BlockingQueue<String> lines, String name) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        boolean inEvent = false;
        while (System.nanoTime() < deadline) {
            String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null) {
                break;
            }
            if (line.startsWith("event:")) {
                inEvent = line.substring(6).trim().equals(name);
            } else if (inEvent && line.startsWith("data:")) {
                return line.substring(5).trim();
            }
        }
        throw new AssertionError("no '" + name + "' event within " + WAIT);
    }

    private String metric(String name) throws Exception {
        String body = gw.http.send(HttpRequest.newBuilder(gw.uri("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return body.lines().filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow().substring(name.length() + 1);
    }

    @Test
    void aGzippedStreamDeliversEveryEventAsItHappens() throws Exception {
        gw = new ApiHarness(ApiHarness.twoMeters(""));
        Instant t = Instant.now();
        gw.reading("m1", t, Map.of("L1 Voltage", "230.0", "Frequency", "50.0"));
        Path headers = Files.createTempFile("sse-headers", ".txt");
        BlockingQueue<String> lines = curlStream("/api/sse/meters?meters=m1&changes=only", headers);

        assertTrue(nextData(lines, "connected").contains("\"stream\":\"/api/sse/meters\""));
        String first = nextData(lines, "data");
        assertTrue(first.contains("\"Frequency\":\"50.0 Hz\""), "the first reading is the whole row: " + first);
        String headerText = Files.readString(headers);
        assertTrue(headerText.toLowerCase().contains("content-encoding: gzip"), headerText);
        assertEquals("1", metric("gateway_sse_compressed_streams"));

        // Each change is flushed through the compressor at once: it arrives while the stream stays open.
        for (int i = 1; i <= 3; i++) {
            gw.reading("m1", t.plusSeconds(i), Map.of("L1 Voltage", String.valueOf(230 + 2 * i), "Frequency", "50.0"));
            String change = nextData(lines, "data");
            assertEquals("{\"meterNo\":\"m1\",\"timestamp\":\"" + io.edgegateway.reading.ReadingJson.timestamp(t.plusSeconds(i))
                    + "\",\"L1 Voltage\":\"" + (230 + 2 * i) + ".0 V\"}", change, "changed keys only");
        }
        curls.getFirst().destroy();
        curls.getFirst().waitFor(5, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!metric("gateway_sse_compressed_streams").equals("0") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals("0", metric("gateway_sse_compressed_streams"), "the stream's compressor is given back");
    }

    @Test
    void streamsAreUncompressedWithoutAcceptEncodingWhenOffAndPastTheLimit() throws Exception {
        gw = new ApiHarness(ApiHarness.twoMeters("sse: {max-compressed: 1}\n"));
        try (SseTestClient plain = SseTestClient.open(gw.http, gw.uri("/api/sse/meters"), Map.of())) {
            assertEquals("connected", plain.next(WAIT).event());
            assertTrue(plain.response().headers().firstValue("Content-Encoding").isEmpty(), "nobody asked for gzip");
        }
        Path headers = Files.createTempFile("sse-headers", ".txt");
        BlockingQueue<String> gzipped = curlStream("/api/sse/meters", headers);
        nextData(gzipped, "connected");
        assertTrue(Files.readString(headers).toLowerCase().contains("content-encoding: gzip"));
        // The one slot is taken: the next client that asks gets the stream uncompressed, not a refusal.
        try (SseTestClient second = SseTestClient.open(gw.http, gw.uri("/api/sse/meters"),
                Map.of("Accept-Encoding", "gzip"))) {
            assertEquals("connected", second.next(WAIT).event());
            assertTrue(second.response().headers().firstValue("Content-Encoding").isEmpty());
        }
        gw.close();

        gw = new ApiHarness(ApiHarness.twoMeters("sse: {compression: off}\n"));
        try (SseTestClient off = SseTestClient.open(gw.http, gw.uri("/api/sse/meters"),
                Map.of("Accept-Encoding", "gzip, deflate"))) {
            assertEquals("connected", off.next(WAIT).event());
            assertTrue(off.response().headers().firstValue("Content-Encoding").isEmpty());
        }
    }

    private HttpResponse<byte[]> get(String path, String acceptEncoding) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gw.uri(path));
        if (acceptEncoding != null) {
            b.header("Accept-Encoding", acceptEncoding);
        }
        return gw.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    @Test
    void longRestRepliesAreGzippedWhenAskedAndShortOnesAndRefusalsAreNot() throws Exception {
        gw = new ApiHarness(ApiHarness.twoMeters(""));
        gw.reading("m1", Instant.now(), Map.of("L1 Voltage", "230.0", "Frequency", "50.0"));
        byte[] plain = get("/metrics", null).body();
        assertTrue(plain.length > 1024, "long enough to be compressed: " + plain.length);

        HttpResponse<byte[]> gz = get("/metrics", "deflate, gzip;q=0.8");
        assertEquals("gzip", gz.headers().firstValue("Content-Encoding").orElse(""));
        assertEquals("Accept-Encoding", gz.headers().firstValue("Vary").orElse(""));
        byte[] head = java.util.Arrays.copyOf(gz.body(), 3);
        assertArrayEquals(GZIP_MAGIC, head, "a gzip member (RFC 1952)");
        assertTrue(gz.body().length < plain.length / 2, gz.body().length + " of " + plain.length);
        String decoded = new String(gunzip(gz.body()), StandardCharsets.UTF_8);
        assertTrue(decoded.contains("gateway_sse_clients "), decoded);

        // curl's own decoder reads it whole.
        Path headers = Files.createTempFile("rest-headers", ".txt");
        Process curl = new ProcessBuilder("curl", "-s", "--compressed", "-D", headers.toString(),
                gw.uri("/metrics").toString()).start();
        curls.add(curl);
        String viaCurl = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(curl.waitFor(10, TimeUnit.SECONDS));
        assertTrue(Files.readString(headers).toLowerCase().contains("content-encoding: gzip"));
        assertEquals(decoded.lines().map(l -> l.split(" ")[0]).toList(), viaCurl.lines().map(l -> l.split(" ")[0]).toList(),
                "the same metrics, line by line");

        assertFalse(get("/metrics", "gzip;q=0").headers().firstValue("Content-Encoding").isPresent(),
                "q=0 refuses gzip");
        assertEquals("gzip", get("/metrics", "*").headers().firstValue("Content-Encoding").orElse(""));
        HttpResponse<byte[]> error = get("/api/meters/nope", "gzip");
        assertEquals(404, error.statusCode());
        assertTrue(error.headers().firstValue("Content-Encoding").isEmpty(), "a short error goes as it is");
        assertNotNull(new String(error.body(), StandardCharsets.UTF_8));
    }
}
