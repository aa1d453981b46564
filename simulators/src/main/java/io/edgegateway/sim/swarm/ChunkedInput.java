package io.edgegateway.sim.swarm;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Reads an HTTP/1.1 chunked body as a plain stream (a streaming response has no Content-Length). */
final class ChunkedInput extends InputStream {

    private final InputStream in;
    private long remaining;
    private boolean done;
    /** For {@link #read()}, which a reader calls for every byte: no array per byte. */
    private final byte[] one = new byte[1];

    ChunkedInput(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = this.one;
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (done) {
            return -1;
        }
        if (remaining == 0) {
            remaining = nextChunkSize();
            if (remaining == 0) {
                done = true;
                return -1;
            }
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new EOFException("connection closed inside a chunk");
        }
        remaining -= n;
        if (remaining == 0) {
            crlf();
        }
        return n;
    }

    private long nextChunkSize() throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                return 0;
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        String hex = line.toString();
        int semi = hex.indexOf(';');
        return Long.parseLong((semi >= 0 ? hex.substring(0, semi) : hex).trim(), 16);
    }

    private void crlf() throws IOException {
        if (in.read() != '\r' || in.read() != '\n') {
            throw new IOException("chunk not followed by CRLF");
        }
    }
}
