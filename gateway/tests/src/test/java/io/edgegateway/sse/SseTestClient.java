package io.edgegateway.sse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP client reading an SSE stream and parsing it by the HTML standard's rules (fields, blank-line
 * dispatch, multi-line data), independently of the gateway's encoder.
 */
public final class SseTestClient implements AutoCloseable {

    /** One dispatched event. {@code event} is "message" for unnamed events, as EventSource reports them. */
    public record Event(String id, String event, String data, long receivedNanos) {
    }

    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final HttpResponse<java.io.InputStream> response;
    private final Thread reader;
    private volatile boolean closed;
    private volatile String retry;

    private final String refusal;

    private SseTestClient(HttpResponse<java.io.InputStream> response) throws IOException {
        this.response = response;
        if (response.statusCode() == 200) {
            this.refusal = null;
            this.reader = Thread.ofVirtual().start(this::read);
        } else {
            // Not a stream: keep the (JSON) body for the test instead of parsing it as events.
            try (java.io.InputStream in = response.body()) {
                this.refusal = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            this.reader = null;
        }
    }

    /** The body of a refused request (not 200), e.g. the JSON error. */
    public String refusal() {
        return refusal;
    }

    public static SseTestClient open(HttpClient http, URI uri, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
        headers.forEach(b::header);
        HttpResponse<java.io.InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        return new SseTestClient(r);
    }

    public int status() {
        return response.statusCode();
    }

    public HttpResponse<java.io.InputStream> response() {
        return response;
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String event = null;
            List<String> data = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Event(id, event == null ? "message" : event, String.join("\n", data), System.nanoTime()));
                    }
                    event = null;
                    data.clear();
                    continue;
                }
                if (line.startsWith(":")) {
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "id" -> id = value;
                    case "event" -> event = value;
                    case "data" -> data.add(value);
                    case "retry" -> retry = value;
                    default -> { }
                }
            }
        } catch (IOException e) {
            if (!closed) {
                events.add(new Event(null, "(closed)", e.toString(), System.nanoTime()));
            }
            return;
        }
        events.add(new Event(null, "(closed)", "end of stream", System.nanoTime()));
    }

    /** The next event, or null if none arrives in time. */
    public Event next(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The next event with this name, skipping others (heartbeats...); null on timeout. */
    public Event next(String event, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            Event e = events.poll(left, TimeUnit.NANOSECONDS);
            if (e == null || e.event().equals(event)) {
                return e;
            }
        }
    }

    /** Events received within {@code window}, excluding heartbeats. */
    public List<Event> drain(Duration window) throws InterruptedException {
        List<Event> out = new ArrayList<>();
        long deadline = System.nanoTime() + window.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return out;
            }
            Event e = events.poll(left, TimeUnit.NANOSECONDS);
            if (e != null && !e.event().equals("heartbeat")) {
                out.add(e);
            }
        }
    }

    public String retry() {
        return retry;
    }

    @Override
    public void close() {
        closed = true;
        try {
            response.body().close();
        } catch (IOException e) {
            // closing a stream the server may already have ended
        }
        if (reader != null) {
            reader.interrupt();
        }
    }

    static Duration seconds(double s) {
        return Duration.ofMillis((long) (s * 1000));
    }
}
