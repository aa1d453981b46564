package io.edgegateway.sim.dlms;

import io.edgegateway.device.LinkDownException;
import io.edgegateway.dlms.hdlc.HdlcFrame;
import io.edgegateway.dlms.hdlc.HdlcFrameReader;
import io.edgegateway.dlms.transport.FrameException;
import io.edgegateway.dlms.transport.LinkTimeoutException;
import io.edgegateway.link.ByteLink;
import io.edgegateway.link.TcpByteLink;
import io.edgegateway.serial.SerialLine;
import io.edgegateway.serial.SerialSettings;
import io.edgegateway.sim.server.SerialListener;
import io.edgegateway.sim.server.Serving;
import io.edgegateway.sim.server.TcpListener;

import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Several simulated meters on one RS-485 line (HDLC multi-drop), reached over a serial port or over HDLC on TCP
 * (a serial device server in front of the line). Every frame on the line goes to the meter it is addressed to;
 * the others stay silent, as on a real bus. Each meter keeps its own objects, associations and faults; build
 * them with HDLC transport and distinct {@code serverAddress(logical, physical)}, and do not start them.
 */
public final class MultiDropSimulator implements Serving {

    private static final System.Logger LOG = System.getLogger(MultiDropSimulator.class.getName());
    private static final Duration POLL = Duration.ofMillis(200);
    /** Frames queued for one meter: a client sends one request at a time, so a few suffice. */
    private static final int QUEUED_FRAMES = 16;

    private final List<DlmsSimulator> meters;
    private final TcpListener tcp;
    private final SerialListener line;
    private volatile boolean running;

    private MultiDropSimulator(List<DlmsSimulator> meters, TcpListener tcp, SerialListener line) {
        this.meters = List.copyOf(meters);
        this.tcp = tcp;
        this.line = line;
        for (DlmsSimulator m : meters) {
            if (!m.transport().hdlc()) {
                throw new IllegalArgumentException("a multi-drop line carries HDLC; " + m + " is not");
            }
        }
    }

    /** The line behind a serial device server: one TCP connection at a time, as such servers allow. */
    public static MultiDropSimulator onTcp(String bindAddress, int port, List<DlmsSimulator> meters) {
        MultiDropSimulator[] self = new MultiDropSimulator[1];
        TcpListener tcp = new TcpListener("dlms-line", bindAddress, port, 1, s -> self[0].serveTcp(s));
        self[0] = new MultiDropSimulator(meters, tcp, null);
        return self[0];
    }

    /** The line on a serial port or pty. */
    public static MultiDropSimulator onSerial(SerialSettings settings, List<DlmsSimulator> meters) {
        MultiDropSimulator[] self = new MultiDropSimulator[1];
        SerialListener line = new SerialListener("dlms-line", settings, POLL.multipliedBy(3),
                (l, up) -> self[0].serveSerial(l, up));
        self[0] = new MultiDropSimulator(meters, null, line);
        return self[0];
    }

    public synchronized MultiDropSimulator start() throws IOException {
        if (running) {
            return this;
        }
        meters.forEach(DlmsSimulator::joinLine);
        running = true;
        try {
            if (tcp != null) {
                tcp.start();
            } else {
                line.start();
            }
        } catch (LinkDownException e) {
            running = false;
            throw new IOException(e.getMessage(), e);
        }
        return this;
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (tcp != null) {
            tcp.stop();
        } else {
            line.stop();
        }
        meters.forEach(DlmsSimulator::stop);
    }

    @Override
    public boolean running() {
        return running;
    }

    public int port() {
        return tcp == null ? 0 : tcp.port();
    }

    public List<DlmsSimulator> meters() {
        return meters;
    }

    private void serveTcp(Socket socket) throws IOException {
        try (TcpByteLink link = new TcpByteLink(socket)) {
            serve(link, () -> running);
        }
    }

    private void serveSerial(SerialLine l, BooleanSupplier up) {
        serve(l, () -> running && up.getAsBoolean());
    }

    /** Reads the line's frames and hands each to its meter, each meter answering on its own virtual thread. */
    private void serve(ByteLink raw, BooleanSupplier up) {
        List<Station> stations = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (DlmsSimulator m : meters) {
            Station s = new Station(m, raw);
            stations.add(s);
            threads.add(Thread.ofVirtual().name("dlms-line-" + m.serialNumber()).start(() -> m.serveStation(s)));
        }
        HdlcFrameReader reader = new HdlcFrameReader(raw);
        try {
            while (up.getAsBoolean()) {
                HdlcFrame f;
                try {
                    f = reader.read(POLL);
                } catch (LinkTimeoutException e) {
                    continue;
                } catch (FrameException e) {
                    reader.clear();
                    continue; // a corrupt frame is nobody's: the client repeats or times out
                }
                for (Station s : stations) {
                    if (s.meter.answersTo(f.destination())) {
                        s.offer(f.encode());
                        break;
                    }
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "line closed: {0}", e.getMessage());
        } finally {
            stations.forEach(Station::close);
            for (Thread t : threads) {
                try {
                    t.join(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** One meter's end of the line: frames addressed to it in, its answers straight onto the shared line. */
    private static final class Station implements ByteLink {
        private static final byte[] CLOSED = new byte[0];
        final DlmsSimulator meter;
        private final ByteLink line;
        private final ArrayBlockingQueue<byte[]> frames = new ArrayBlockingQueue<>(QUEUED_FRAMES);
        private byte[] current;
        private int at;
        private volatile boolean closed;

        Station(DlmsSimulator meter, ByteLink line) {
            this.meter = meter;
            this.line = line;
        }

        void offer(byte[] frame) {
            if (!frames.offer(frame)) {
                LOG.log(System.Logger.Level.DEBUG, "meter {0} is behind; frame dropped", meter.serialNumber());
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length, Duration timeout) throws IOException {
            if (current == null || at == current.length) {
                byte[] next;
                try {
                    next = frames.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted");
                }
                if (next == null) {
                    if (closed) {
                        throw new EOFException("line closed");
                    }
                    return 0;
                }
                if (next == CLOSED) {
                    throw new EOFException("line closed");
                }
                current = next;
                at = 0;
            }
            int n = Math.min(length, current.length - at);
            System.arraycopy(current, at, buffer, offset, n);
            at += n;
            return n;
        }

        @Override
        public void write(byte[] data) throws IOException {
            synchronized (line) { // one station talks at a time; the lock keeps two answers from interleaving
                line.write(data);
            }
        }

        @Override
        public void discardInput() {
            current = null;
        }

        @Override
        public int available() {
            return (current == null ? 0 : current.length - at) + frames.stream().mapToInt(f -> f.length).sum();
        }

        @Override
        public String describe() {
            return line.describe() + " (meter " + meter.serialNumber() + ")";
        }

        @Override
        public void close() {
            closed = true;
            frames.clear();
            frames.offer(CLOSED);
        }
    }
}
