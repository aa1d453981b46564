package io.edgegateway.sse;

import java.nio.charset.StandardCharsets;

/** Encodes one SSE event in the wire format of the HTML standard ("id:", "event:", "data:", blank line). */
final class SseFrame {

    private SseFrame() {
    }

    /**
     * @param id    event id (every event carries one, so EventSource always knows where to resume)
     * @param event event name, or null for an unnamed event that {@code EventSource.onmessage} receives
     * @param data  payload; line breaks become several data lines
     */
    static byte[] encode(long id, String event, String data) {
        StringBuilder b = new StringBuilder(data.length() + 48);
        b.append("id: ").append(id).append('\n');
        if (event != null) {
            b.append("event: ").append(event).append('\n');
        }
        for (String line : data.split("\n", -1)) {
            b.append("data: ").append(line).append('\n');
        }
        b.append('\n');
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A comment, which EventSource does not dispatch, with an id: the id still becomes the client's
     * Last-Event-ID (the HTML standard sets it before dropping an event without data).
     */
    static byte[] comment(long id, String text) {
        StringBuilder b = new StringBuilder(text.length() + 24);
        b.append("id: ").append(id).append('\n');
        for (String line : text.split("\n", -1)) {
            b.append(": ").append(line).append('\n');
        }
        b.append('\n');
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Tells EventSource how long to wait before reconnecting. */
    static byte[] retry(long millis) {
        return ("retry: " + millis + "\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
