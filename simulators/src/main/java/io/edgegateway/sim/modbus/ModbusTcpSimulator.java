package io.edgegateway.sim.modbus;

import io.edgegateway.sim.server.TcpListener;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Simulated Modbus devices on a TCP port: Modbus TCP (MBAP frames), or RTU frames with CRC as a serial device
 * server in transparent mode passes them ({@code rtuOverTcp}). Several unit ids may share the port.
 *
 * <pre>{@code
 * try (ModbusTcpSimulator sim = ModbusTcpSimulator.builder()
 *         .unit(1, catalog.find("sdm630").orElseThrow())
 *         .unit(2, catalog.find("plc").orElseThrow())
 *         .build().start()) {
 *     ModbusClient link = ModbusClient.tcp("127.0.0.1", sim.port());
 *     sim.device(1).freeze(true);
 *     sim.faults().set(2, FaultPlan.silence());
 * }
 * }</pre>
 *
 * <p>One virtual thread per connection, at most {@code maxConnections} at once (more are closed on accept, like a
 * device with few sockets). A connection answers its requests in order, one at a time, as a device does.
 * Thread-safe; {@link #restart()} keeps the port, units, faults and counters.
 */
public final class ModbusTcpSimulator extends ModbusSimulator {

    private static final System.Logger LOG = System.getLogger(ModbusTcpSimulator.class.getName());
    /** RTU over TCP: a frame left unfinished this long is dropped. */
    private static final int RTU_SILENCE_MS = 50;

    private final boolean rtuOverTcp;
    private final TcpListener listener;
    private final AtomicLong crcErrors = new AtomicLong();

    private ModbusTcpSimulator(Builder b) {
        super(b, b.rtuOverTcp);
        this.rtuOverTcp = b.rtuOverTcp;
        this.listener = new TcpListener(rtuOverTcp ? "rtu-over-tcp-sim" : "modbus-tcp-sim", b.bind, b.port,
                b.maxConnections, this::serve);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Configures a simulator; only {@link #unit} is required. */
    public static final class Builder extends ServedUnits<Builder> {
        private String bind = "127.0.0.1";
        private int port;
        private boolean rtuOverTcp;
        private int maxConnections = 16;

        /** Address to listen on; default 127.0.0.1, use 0.0.0.0 to be reachable from other machines. */
        public Builder bind(String address) {
            this.bind = address;
            return this;
        }

        /** Port to listen on; default 0, an ephemeral port (see {@link #port()} after start). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** Bare RTU frames with CRC instead of MBAP, as a serial device server passes them. */
        public Builder rtuOverTcp(boolean rtu) {
            this.rtuOverTcp = rtu;
            return this;
        }

        public Builder maxConnections(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1");
            }
            this.maxConnections = n;
            return this;
        }

        public ModbusTcpSimulator build() {
            return new ModbusTcpSimulator(this);
        }
    }

    /** Starts listening; returns this. Starting a started simulator does nothing. */
    public ModbusTcpSimulator start() throws IOException {
        listener.start();
        return this;
    }

    /** Stops and starts again on the same port, as a device that reboots. */
    public void restart() throws IOException {
        listener.restart();
    }

    /** The port listened on (the ephemeral one chosen at the first start, if 0 was asked for). */
    public int port() {
        return listener.port();
    }

    public String bindAddress() {
        return listener.bindAddress();
    }

    public boolean rtuOverTcp() {
        return rtuOverTcp;
    }

    @Override
    TcpListener listener() {
        return listener;
    }

    @Override
    public String describe() {
        return (rtuOverTcp ? "rtu-over-tcp " : "modbus-tcp ") + listener.bindAddress() + ":" + listener.port();
    }

    @Override
    public SimulatorStats stats() {
        return responder.stats(crcErrors.get(), listener.accepted());
    }

    /** Connections open now. */
    public int openConnections() {
        return listener.openConnections();
    }

    /** Closes every open connection now, as a device losing its network; the listener stays, so masters reconnect. */
    public void dropConnections() {
        for (int i = listener.closeConnections(); i > 0; i--) {
            responder.countDropped();
        }
    }

    private void serve(Socket c) throws IOException, InterruptedException {
        try {
            if (rtuOverTcp) {
                serveRtu(c);
            } else {
                serveMbap(c);
            }
        } catch (EOFException e) {
            // the master hung up
        } catch (Mbap.BadFrameException e) {
            LOG.log(System.Logger.Level.INFO, () -> describe() + ": closing " + c.getRemoteSocketAddress() + ": "
                    + e.getMessage());
        }
    }

    private void serveMbap(Socket c) throws IOException, InterruptedException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(c.getInputStream()));
        OutputStream out = new BufferedOutputStream(c.getOutputStream());
        ReplyWire.Sink sink = b -> {
            out.write(b);
            out.flush();
        };
        boolean first = true;
        while (true) {
            Mbap request = Mbap.read(in);
            Answer answer = responder.answer(request.unitId(), request.pdu(), first);
            first = false;
            switch (answer) {
                case Answer.Silence s -> {
                }
                case Answer.Drop d -> {
                    return;
                }
                case Answer.Reply r -> replies.send(r, request.answer(r.pdu()).encode(), Duration.ZERO, sink);
            }
        }
    }

    private void serveRtu(Socket c) throws IOException, InterruptedException {
        InputStream in = c.getInputStream();
        OutputStream out = c.getOutputStream();
        ReplyWire.Sink sink = b -> {
            out.write(b);
            out.flush();
        };
        RtuFrames frames = new RtuFrames();
        byte[] buffer = new byte[512];
        boolean first = true;
        while (true) {
            // Block without limit while idle; a short limit only while a frame is half in (no wake-ups when idle).
            c.setSoTimeout(frames.pending() > 0 ? RTU_SILENCE_MS : 0);
            long errorsBefore = frames.crcErrors();
            List<byte[]> got;
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    return;
                }
                got = frames.accept(buffer, 0, n);
            } catch (SocketTimeoutException e) {
                got = frames.silence();
            }
            crcErrors.addAndGet(frames.crcErrors() - errorsBefore);
            for (byte[] frame : got) {
                int unit = frame[0] & 0xFF;
                Answer answer = responder.answer(unit, Arrays.copyOfRange(frame, 1, frame.length), first);
                first = false;
                switch (answer) {
                    case Answer.Silence s -> {
                    }
                    case Answer.Drop d -> {
                        return;
                    }
                    case Answer.Reply r -> replies.send(r, RtuFrames.encode(unit, r.pdu()), Duration.ZERO, sink);
                }
            }
        }
    }

}
