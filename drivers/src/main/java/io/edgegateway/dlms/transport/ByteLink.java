package io.edgegateway.dlms.transport;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;

/** A bidirectional byte pipe with read timeouts: a TCP socket or a serial line. One user at a time. */
public interface ByteLink extends AutoCloseable {

    /**
     * Reads what is available, waiting at most {@code timeout} for the first byte.
     *
     * @return bytes read, 0 on timeout
     * @throws EOFException when the peer closed the connection
     */
    int read(byte[] buffer, int offset, int length, Duration timeout) throws IOException;

    void write(byte[] data) throws IOException;

    /** Drops anything already received: a late answer must never be taken for the next one. */
    void discardInput() throws IOException;

    /** "tcp 10.0.0.5:4059" or "/dev/ttyUSB0 9600 8N1", for messages. */
    String describe();

    @Override
    void close();

    /**
     * Reads exactly {@code length} bytes before {@code deadlineNanos} (a {@link System#nanoTime()} value).
     *
     * @return the number read: {@code length}, or fewer when the deadline passed
     */
    default int readFully(byte[] buffer, int offset, int length, long deadlineNanos) throws IOException {
        int got = 0;
        while (got < length) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                break;
            }
            int n = read(buffer, offset + got, length - got, Duration.ofNanos(Math.max(left, 1_000_000)));
            got += n;
        }
        return got;
    }
}
