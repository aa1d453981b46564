package io.edgegateway.bench.dlms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on 127.0.0.1 in front of a simulated meter that counts the bytes each way: what would cross the
 * RS-485 line, counted outside both the client and the simulator. With a baud rate it also paces what the client
 * sends as the line would (the simulator paces its own answers), so both directions take their wire time.
 */
final class CountingRelay implements AutoCloseable {

    private final ServerSocket server;
    private final AtomicLong toMeter = new AtomicLong();
    private final AtomicLong fromMeter = new AtomicLong();
    private final int baud;

    CountingRelay(int targetPort) throws IOException {
        this(targetPort, 0);
    }

    /** @param baud the line's rate for the client's bytes, 0 for none */
    CountingRelay(int targetPort, int baud) throws IOException {
        this.baud = baud;
        server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("relay").start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket meter = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    client.setTcpNoDelay(true);
                    meter.setTcpNoDelay(true);
                    Thread.ofVirtual().start(() -> pipe(client, meter, toMeter, baud));
                    Thread.ofVirtual().start(() -> pipe(meter, client, fromMeter, 0));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private static void pipe(Socket from, Socket to, AtomicLong count, int baud) {
        byte[] buffer = new byte[8192];
        try (from; to; InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (baud > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(n * 10L * 1_000_000_000L / baud);
                }
                out.write(buffer, 0, n);
                count.addAndGet(n);
            }
        } catch (IOException e) {
            // either end closed
        }
    }

    int port() {
        return server.getLocalPort();
    }

    /** Bytes both ways since the last call. */
    long takeBytes() {
        return toMeter.getAndSet(0) + fromMeter.getAndSet(0);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
