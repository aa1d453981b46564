package io.edgegateway.sim.swarm;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * The answer to an event-stream request on a plain socket: the status line, the headers read past, and the body
 * as a plain stream (de-chunked when the server sent it chunked, as a stream of unknown length is).
 *
 * @param status the status line, e.g. "HTTP/1.1 200 OK"
 */
public record StreamResponse(String status, InputStream body) {

    /**
     * Reads the status line and the headers from {@code in}.
     *
     * @throws EOFException when the server closed the connection before answering
     */
    public static StreamResponse read(InputStream in) throws IOException {
        String status = line(in);
        if (status == null) {
            throw new EOFException("closed before an answer");
        }
        boolean chunked = false;
        String h;
        while ((h = line(in)) != null && !h.isEmpty()) {
            String lower = h.toLowerCase(Locale.ROOT);
            chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
        }
        return new StreamResponse(status, chunked ? new ChunkedInput(in) : in);
    }

    /** The status code, 0 if the status line has none. */
    public int code() {
        String[] parts = status.split(" ", 3);
        try {
            return parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** One line without its CR LF; null at the end of the stream before any byte of it. */
    public static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder(128);
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                return b.isEmpty() ? null : b.toString();
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }
}
