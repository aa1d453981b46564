package io.edgegateway.sim.dlms;

import io.edgegateway.link.ByteLink;
import io.edgegateway.link.ForwardingByteLink;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends at the pace of a serial line: a frame of n bytes is handed over when its last byte would have arrived on
 * an 8N1 line at {@code baud} (10 bits a byte), and frames sent back to back queue behind each other as on the
 * wire. On a pty or TCP, where bytes arrive at once, this makes throughput benchmarks honest. One sleep per frame.
 */
final class PacedLink extends ForwardingByteLink {

    private static final int BITS_PER_BYTE = 10;

    private final int baud;
    /** When the line is free again (System.nanoTime). */
    private long lineFree = System.nanoTime();

    PacedLink(ByteLink link, int baud) {
        super(link);
        if (baud < 50) {
            throw new IllegalArgumentException("line timing needs a baud rate of 50 or more, got " + baud);
        }
        this.baud = baud;
    }

    @Override
    public void write(byte[] data) throws IOException {
        long now = System.nanoTime();
        long start = Math.max(now, lineFree);
        lineFree = start + wireTime(data.length).toNanos();
        while (true) {
            long left = lineFree - System.nanoTime();
            if (left <= 0) {
                break;
            }
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while pacing a frame");
            }
        }
        link.write(data);
    }

    @Override
    public Duration wireTime(int bytes) {
        return Duration.ofNanos(bytes * BITS_PER_BYTE * 1_000_000_000L / baud);
    }

    @Override
    public String describe() {
        return link.describe() + " paced at " + baud + " baud";
    }
}
