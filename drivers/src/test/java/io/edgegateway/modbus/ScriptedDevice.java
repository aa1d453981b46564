package io.edgegateway.modbus;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A fake device on a loopback TCP port that answers each request with the next scripted bytes, and records what
 * it received. Lets the driver be tested against fixed byte vectors, independently of the simulator.
 */
final class ScriptedDevice implements AutoCloseable {

    static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    /** A step answering with this closes the connection instead. */
    static final byte[] CLOSE = new byte[0];

    private final ServerSocket server;
    private final boolean mbap;
    private final BlockingQueue<UnaryOperator<byte[]>> steps = new LinkedBlockingQueue<>();
    private final List<byte[]> received = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());

    /** @param mbap true for Modbus TCP framing, false for RTU frames over TCP */
    ScriptedDevice(boolean mbap) throws IOException {
        this.mbap = mbap;
        this.server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    List<byte[]> received() {
        return List.copyOf(received);
    }

    /** The next request is answered by {@code answer(request)}; null means no answer at all. */
    ScriptedDevice then(UnaryOperator<byte[]> answer) {
        steps.add(answer);
        return this;
    }

    /** The next request is answered with these bytes as they are. */
    ScriptedDevice thenRaw(String hex) {
        return then(req -> bytes(hex));
    }

    /** The next request gets an MBAP frame echoing its transaction id and unit, carrying {@code pduHex}. */
    ScriptedDevice thenPdu(String pduHex) {
        return then(req -> mbapAnswer(req, req[6] & 0xFF, bytes(pduHex)));
    }

    static byte[] mbapAnswer(byte[] request, int unit, byte[] pdu) {
        byte[] out = new byte[7 + pdu.length];
        out[0] = request[0];
        out[1] = request[1];
        out[4] = (byte) ((pdu.length + 1) >> 8);
        out[5] = (byte) (pdu.length + 1);
        out[6] = (byte) unit;
        System.arraycopy(pdu, 0, out, 7, pdu.length);
        return out;
    }

    /** For a scripted answer that comes late. */
    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static byte[] bytes(String hex) {
        return HEX.parseHex(hex.trim());
    }

    static String hex(byte[] b) {
        return HEX.formatHex(b).toUpperCase();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                sockets.add(s);
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                byte[] request = mbap ? readMbap(in) : readRtu(in);
                received.add(request);
                UnaryOperator<byte[]> step = steps.poll(5, TimeUnit.SECONDS);
                if (step == null) {
                    return;
                }
                byte[] answer = step.apply(request);
                if (answer == CLOSE) {
                    return;
                }
                if (answer != null) {
                    out.write(answer);
                    out.flush();
                }
            }
        } catch (IOException | InterruptedException e) {
            // connection ended
        }
    }

    private static byte[] readMbap(DataInputStream in) throws IOException {
        byte[] header = new byte[6];
        in.readFully(header);
        int length = ((header[4] & 0xFF) << 8) | (header[5] & 0xFF);
        byte[] frame = new byte[6 + length];
        System.arraycopy(header, 0, frame, 0, 6);
        in.readFully(frame, 6, length);
        return frame;
    }

    private static byte[] readRtu(DataInputStream in) throws IOException {
        byte[] head = new byte[7];
        in.readFully(head, 0, 2);
        int function = head[1] & 0xFF;
        if (function == 15 || function == 16) {
            in.readFully(head, 2, 5);
            int n = head[6] & 0xFF;
            byte[] frame = new byte[7 + n + 2];
            System.arraycopy(head, 0, frame, 0, 7);
            in.readFully(frame, 7, n + 2);
            return frame;
        }
        byte[] frame = new byte[8];
        System.arraycopy(head, 0, frame, 0, 2);
        in.readFully(frame, 2, 6);
        return frame;
    }

    /** Drops every open connection, as a device that reboots. */
    void dropConnections() throws IOException {
        synchronized (sockets) {
            for (Socket s : sockets) {
                s.close();
            }
            sockets.clear();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        dropConnections();
    }
}
