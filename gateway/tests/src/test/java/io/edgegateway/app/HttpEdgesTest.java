package io.edgegateway.app;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HEAD, over-deep JSON and refusals, on the raw wire: what a probe, an attacker or a hammering client sees. */
class HttpEdgesTest {

    private static final String ADMIN = "ops-fedcba9876543210";
    private static final String TOKENS = "security:\n  tokens:\n    - {name: ops, token: " + ADMIN + ", admin: true}\n";

    @Test
    void headAnswersAsGetWithoutTheBody() throws Exception {
        try (ApiHarness gw = new ApiHarness(ApiHarness.twoMeters(""))) {
            for (String path : new String[] {"/health", "/api/meters", "/api/meters/m1", "/", "/metrics"}) {
                HttpResponse<byte[]> get = gw.http.send(HttpRequest.newBuilder(gw.uri(path)).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                // Connection: close so that whatever followed the headers is read up to the end.
                Exchange head = exchange(gw.server.port(), "HEAD " + path + " HTTP/1.1\r\nHost: x\r\n"
                        + "Connection: close\r\n\r\n");
                assertEquals(get.statusCode(), head.status(), path);
                assertEquals(get.headers().firstValue("Content-Type").orElseThrow(), head.header("Content-Type"), path);
                assertTrue(head.body().isEmpty(), path + ": no body after HEAD, got " + head.body());
                // /health and /metrics change between the two requests; their length is close, not equal.
                long length = Long.parseLong(head.header("Content-Length"));
                assertTrue(Math.abs(length - get.body().length) < 64, path + ": " + length + " vs " + get.body().length);
            }
            Exchange stream = exchange(gw.server.port(), "HEAD /api/sse/meters HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, stream.status());
            assertEquals("text/event-stream", stream.header("Content-Type"));
            assertTrue(stream.closed(), "a stream's HEAD ends at once");
            assertEquals(0, gw.clients.connected());
        }
    }

    @Test
    void jsonNestedTooDeepIsA400WithoutAStackTrace() throws Exception {
        Logger root = Logger.getLogger("");
        StringBuilder logged = new StringBuilder();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue() || r.getThrown() != null) {
                    logged.append(r.getLevel()).append(' ').append(r.getMessage()).append('\n');
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        root.addHandler(capture);
        try (ApiHarness gw = new ApiHarness(ApiHarness.twoMeters(TOKENS))) {
            String deep = "{\"message\":\"x\",\"data\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
            HttpResponse<String> r = gw.http.send(HttpRequest.newBuilder(gw.uri("/api/sse/send"))
                    .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(deep)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"bad-json\"") && r.body().contains("5001 levels deep"), r.body());
            HttpResponse<String> broken = gw.http.send(HttpRequest.newBuilder(gw.uri("/api/sse/send"))
                    .header("Authorization", "Bearer " + ADMIN)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"message\": ")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, broken.statusCode(), broken.body());
            assertTrue(broken.body().contains("not valid JSON at line 1"), broken.body());
        } finally {
            root.removeHandler(capture);
        }
        assertFalse(logged.toString().contains("nested"), "no stack trace or warning: " + logged);
    }

    @Test
    void refusalsCloseTheConnection() throws Exception {
        try (ApiHarness gw = new ApiHarness(ApiHarness.twoMeters(TOKENS + "sse: {max-clients: 1}\n"))) {
            Exchange noToken = exchange(gw.server.port(), "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(401, noToken.status());
            assertEquals("close", noToken.header("Connection"));
            assertTrue(noToken.closed(), "a refused client's socket is closed, not kept alive");
            Exchange headNoToken = exchange(gw.server.port(), "HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(401, headNoToken.status());
            assertEquals(String.valueOf(noToken.body().length()), headNoToken.header("Content-Length"),
                    "a HEAD the access guard answers has the length of its GET's refusal");
            assertTrue(headNoToken.body().isEmpty() && headNoToken.closed());

            try (Socket holder = new Socket("127.0.0.1", gw.server.port())) {
                holder.getOutputStream().write(("GET /api/sse/meters HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                        + ADMIN + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (gw.clients.connected() < 1 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                Exchange full = exchange(gw.server.port(), "GET /api/sse/meters HTTP/1.1\r\nHost: x\r\n"
                        + "Authorization: Bearer " + ADMIN + "\r\n\r\n");
                assertEquals(503, full.status());
                assertTrue(full.closed(), "a client refused at the limit is closed");
            }

            Exchange ok = exchange(gw.server.port(), "GET /health HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + ADMIN + "\r\n\r\n");
            assertEquals(200, ok.status());
            assertFalse(ok.closed(), "an answered request keeps its connection alive");
        }
    }

    @Test
    void aStreamTheServerEndsIsCompleteBeforeItsConnectionCloses() throws Exception {
        try (ApiHarness gw = new ApiHarness(ApiHarness.twoMeters("")); Socket s = new Socket("127.0.0.1", gw.server.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("GET /api/sse/meters HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!got.toString(StandardCharsets.ISO_8859_1).contains("event: connected")) {
                got.write(buf, 0, in.read(buf));
            }
            gw.clients.close(); // the gateway stops: every stream ends from the server's side
            int n;
            while ((n = in.read(buf)) >= 0) {
                got.write(buf, 0, n);
            }
            String all = got.toString(StandardCharsets.ISO_8859_1);
            assertTrue(all.contains("Transfer-Encoding: chunked"), all);
            assertTrue(all.endsWith("\r\n0\r\n\r\n"), "the last chunk came before the close: ..."
                    + all.substring(Math.max(0, all.length() - 60)));
        }
    }

    /** What came back on one connection within a second, and whether the server closed it. */
    record Exchange(String head, String body, boolean closed) {
        int status() {
            return Integer.parseInt(head.substring(9, 12));
        }

        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    private static Exchange exchange(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(1000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            boolean closed = false;
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    got.write(buf, 0, n);
                }
                closed = true;
            } catch (SocketTimeoutException e) {
                // still open
            }
            String all = got.toString(StandardCharsets.ISO_8859_1);
            int end = all.indexOf("\r\n\r\n");
            return new Exchange(all.substring(0, end), all.substring(end + 4), closed);
        }
    }
}
