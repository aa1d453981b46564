package io.edgegateway.link;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;

/**
 * A bidirectional byte pipe with read timeouts: a TCP socket or a serial line. One user at a time. Protocols
 * frame their messages on it and read each answer against a {@link Deadline}.
 */
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

    /** Bytes received and not read yet; more than zero right after an answer means the line carried more. */
    int available() throws IOException;

    /**
     * How long {@code bytes} characters take on the wire: what a deadline adds for the frames' own length on a
     * serial line at its baud rate. Zero on TCP, where the timeout alone bounds an answer.
     */
    default Duration wireTime(int bytes) {
        return Duration.ZERO;
    }

    /** "tcp 10.0.0.5:4059" or "/dev/ttyUSB0 9600 8N1", for messages. */
    String describe();

    @Override
    void close();

    /**
     * Reads exactly {@code length} bytes before the deadline.
     *
     * @return the number read: {@code length}, or fewer when the deadline passed
     * @throws EOFException when the peer closed the connection
     */
    default int readFully(byte[] buffer, int offset, int length, Deadline deadline) throws IOException {
        int got = 0;
        while (got < length) {
            Duration left = deadline.remaining();
            if (left.isZero()) {
                break;
            }
            // At least a millisecond: socket and serial timeouts have that resolution, and 0 would mean "forever".
            got += read(buffer, offset + got, length - got, left.toMillis() < 1 ? Duration.ofMillis(1) : left);
        }
        return got;
    }
}
