package io.edgegateway.sim.dlms;

import io.edgegateway.sim.server.Serving;
import io.edgegateway.device.LinkDownException;
import io.edgegateway.dlms.apdu.Conformance;
import io.edgegateway.dlms.client.Transport;
import io.edgegateway.dlms.hdlc.HdlcAddress;
import io.edgegateway.dlms.hdlc.HdlcLink;
import io.edgegateway.dlms.hdlc.HdlcParameters;
import io.edgegateway.dlms.security.Ciphering;
import io.edgegateway.dlms.transport.ApduChannel;
import io.edgegateway.link.ByteLink;
import io.edgegateway.dlms.transport.FrameException;
import io.edgegateway.dlms.transport.LinkTimeoutException;
import io.edgegateway.link.TcpByteLink;
import io.edgegateway.dlms.wrapper.WrapperLink;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.serial.SerialLine;
import io.edgegateway.serial.SerialSettings;
import io.edgegateway.sim.model.SimulatedDevice;
import io.edgegateway.sim.server.SerialListener;
import io.edgegateway.sim.server.TcpListener;

import java.io.IOException;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A simulated DLMS/COSEM meter, embeddable in tests and the gateway demo:
 *
 * <pre>
 * DlmsSimulator sim = DlmsSimulator.builder().wrapperTcp().port(0).build().start();
 * int port = sim.port();                       // the ephemeral port
 * sim.device().freeze(true);                   // stable values for assertions
 * sim.faults().failAttribute(obis, 2, DataAccessResult.OBJECT_UNDEFINED);
 * long served = sim.served().requests();
 * sim.stop();
 * </pre>
 *
 * Serves wrapper over TCP, HDLC over TCP, or HDLC on a serial line; one session per TCP connection (each on its own
 * virtual thread), one on the serial line. Besides the profile's points it keeps a load profile, daily values and
 * an event log with months of history ({@link MeterProfiles}), a clock of its own and a load {@link Limiter}
 * whose threshold an LLS or HLS client may set. Thread-safe.
 */
public final class DlmsSimulator implements Serving {

    private static final System.Logger LOG = System.getLogger(DlmsSimulator.class.getName());
    private static final Duration POLL = Duration.ofMillis(500);

    private final Transport transport;
    private final String bindAddress;
    private final SerialSettings serial;
    private final boolean modeEBaudSwitch;
    private final SimulatedDevice device;
    private final String serialNumber;
    private final int serverLogical;
    private final int serverPhysical;
    private final MeterAccess access;
    private final int maxPduSize;
    private final HdlcParameters hdlcLimits;
    private final Conformance conformance;
    private final Duration responseTimeout;
    private final DlmsFaults faults = new DlmsFaults();
    private final MeterClock meterClock;
    private final MeterObjects objects;
    private final Ciphering ciphering;
    private final int lineTiming;

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong services = new AtomicLong();
    private final AtomicLong associations = new AtomicLong();
    private final AtomicLong sets = new AtomicLong();
    private final AtomicLong serverCounter = new AtomicLong(1);
    private final Map<String, Long> clientCounters = new ConcurrentHashMap<>();
    private final TcpListener tcp;
    private final SerialListener line;
    private volatile boolean running;
    private static final int QUEUED_PUSHES = 16;
    private final java.util.concurrent.ArrayBlockingQueue<byte[]> pushesOnLink =
            new java.util.concurrent.ArrayBlockingQueue<>(QUEUED_PUSHES);

    private DlmsSimulator(Builder b) {
        this.transport = b.transport;
        this.bindAddress = b.bindAddress;
        this.serial = b.serial;
        this.modeEBaudSwitch = b.modeEBaudSwitch;
        this.device = b.device != null ? b.device : SimulatedDevice.of(defaultProfile(), b.seed, b.clock);
        this.serialNumber = b.serialNumber;
        this.serverLogical = b.serverLogical;
        this.serverPhysical = b.serverPhysical;
        this.access = b.access;
        this.maxPduSize = b.maxPduSize;
        this.hdlcLimits = HdlcParameters.of(b.hdlcMaxInfo, b.hdlcWindow);
        Conformance c = Conformance.of(Conformance.GET, Conformance.SET, Conformance.ACTION,
                Conformance.SELECTIVE_ACCESS, Conformance.BLOCK_TRANSFER_WITH_GET_OR_READ,
                Conformance.BLOCK_TRANSFER_WITH_SET_OR_WRITE, Conformance.BLOCK_TRANSFER_WITH_ACTION,
                Conformance.PRIORITY_MGMT_SUPPORTED);
        this.conformance = b.withList ? new Conformance(c.bits() | Conformance.of(Conformance.MULTIPLE_REFERENCES).bits()) : c;
        this.responseTimeout = b.responseTimeout;
        this.meterClock = new MeterClock(b.clock, b.clockOffset, b.deviation);
        this.objects = new MeterObjects(device, serialNumber, faults, meterClock, b.history, b.seed,
                this::nextClientCounter);
        faults.onClockJump(objects.profiles()::jumpClock);
        this.lineTiming = b.lineTiming;
        this.ciphering = new Ciphering(access.blockCipherKey(), access.authenticationKey());
        this.tcp = transport.tcp() ? new TcpListener("dlms-sim", b.bindAddress, b.port, 16, this::serveTcp) : null;
        this.line = transport.tcp() ? null : new SerialListener("dlms-sim", serial, POLL.multipliedBy(3), this::serveSerial);
    }

    /** The shipped dlms-standard profile. */
    public static DeviceProfile defaultProfile() {
        return ProfileCatalog.shipped().find("dlms-standard")
                .orElseThrow(() -> new IllegalStateException("profile dlms-standard missing from the drivers jar"));
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- lifecycle ---------------------------------------------------------------------------------------

    /**
     * Binds (TCP) or opens the serial line and starts serving.
     *
     * @throws IOException when the port is taken or the serial device cannot be opened
     */
    public synchronized DlmsSimulator start() throws IOException {
        if (running) {
            return this;
        }
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
        } catch (IOException e) {
            running = false;
            throw e;
        }
        return this;
    }

    /** Stops serving and closes every connection; {@link #start()} may be called again. */
    public synchronized void stop() {
        running = false;
        if (tcp != null) {
            tcp.stop();
        } else {
            line.stop();
        }
    }

    /** Stop and start again on the same port (a meter reboot): associations are lost, counters are kept. */
    public synchronized void restart() throws IOException {
        stop();
        start();
    }

    /** Closes every open TCP connection (the server keeps listening); a serial line has none to drop. */
    public void dropConnections() {
        if (tcp != null) {
            tcp.closeConnections();
        }
    }

    public boolean running() {
        return running;
    }

    /** The bound TCP port (the ephemeral one when built with port 0). */
    public int port() {
        return tcp != null ? tcp.port() : 0;
    }

    public Transport transport() {
        return transport;
    }

    /** "127.0.0.1:4059 (wrapper)" or the serial line. */
    public String endpoint() {
        return transport.tcp() ? bindAddress + ":" + port() + " (" + (transport.hdlc() ? "hdlc" : "wrapper") + ")"
                : serial.describe() + " (hdlc)";
    }

    // ---- state -------------------------------------------------------------------------------------------

    /** The simulated device whose values are served: freeze, pin and write it in tests. */
    public SimulatedDevice device() {
        return device;
    }

    /** Runtime fault control. */
    public DlmsFaults faults() {
        return faults;
    }

    public MeterAccess access() {
        return access;
    }

    public String serialNumber() {
        return serialNumber;
    }

    /**
     * What the simulator has served so far, read together.
     *
     * @param requests     APDUs answered (AARQ, GET, SET, ACTION, RLRQ, ciphered ones included)
     * @param services     GET and ACTION services processed (each block of a long answer counts)
     * @param associations associations accepted
     * @param sets         SET services processed (each data block of a long SET counts)
     */
    public record Served(long requests, long services, long associations, long sets) {
    }

    public Served served() {
        return new Served(requests.get(), services.get(), associations.get(), sets.get());
    }

    /** The highest invocation counter seen from a client system title, or -1. */
    public long lastClientCounter(byte[] clientSystemTitle) {
        return clientCounters.getOrDefault(HexFormat.of().formatHex(clientSystemTitle), -1L);
    }

    /**
     * The invocation counter the meter accepts next from its HLS client (object 0.0.43.1.0.255): one above the
     * highest seen from any client system title, 0 when none was seen (any counter is accepted then).
     */
    public long nextClientCounter() {
        return clientCounters.values().stream().mapToLong(Long::longValue).max().orElse(-1) + 1;
    }

    /** The time the meter's clock shows: the simulator's clock plus the offset (set by clients, jumped by faults). */
    public Instant meterTime() {
        return meterClock.now();
    }

    /** How far the meter's clock is ahead of the simulator's (negative: behind). */
    public Duration clockOffset() {
        return meterClock.offset();
    }

    int serverLogical() {
        return serverLogical;
    }

    int maxPduSize() {
        return maxPduSize;
    }

    Conformance conformance() {
        return conformance;
    }

    MeterObjects objects() {
        return objects;
    }

    Ciphering ciphering() {
        return ciphering;
    }

    long nextServerCounter() {
        return serverCounter.getAndIncrement();
    }

    /** True (and remembered) when {@code counter} is above every counter seen from this client. */
    boolean acceptClientCounter(byte[] clientSystemTitle, long counter) {
        String key = HexFormat.of().formatHex(clientSystemTitle);
        boolean[] ok = new boolean[1];
        clientCounters.compute(key, (k, last) -> {
            if (last == null || counter > last) {
                ok[0] = true;
                return counter;
            }
            return last;
        });
        return ok[0];
    }

    void countRequest() {
        requests.incrementAndGet();
    }

    void countGet() {
        services.incrementAndGet();
    }

    void countAssociation() {
        associations.incrementAndGet();
    }

    void countSet() {
        sets.incrementAndGet();
    }

    // ---- serving -----------------------------------------------------------------------------------------

    private void serveTcp(Socket socket) throws IOException {
        try (TcpByteLink link = new TcpByteLink(socket)) {
            serve(link, null);
        }
    }

    private void serveSerial(SerialLine l, BooleanSupplier lineRunning) throws IOException {
        SignOnLink link = new SignOnLink(l, l, modeEBaudSwitch, serialNumber);
        while (running && lineRunning.getAsBoolean()) {
            serve(link, link);
        }
    }

    /**
     * Sends {@code apdu} (a Data-Notification, see {@link PushSender#nextApdu()}) unasked on the link a client is
     * reading the meter on, just before the next answer: a meter pushing over its open link.
     */
    public void pushOnLink(byte[] apdu) {
        if (!pushesOnLink.offer(apdu.clone())) {
            throw new IllegalStateException("more than " + QUEUED_PUSHES + " pushes queued on the link");
        }
    }

    // ---- a meter on a multi-drop line (MultiDropSimulator) ------------------------------------------------

    /** Marks the meter as serving without a listener of its own: the line it is on feeds it frames. */
    void joinLine() {
        running = true;
    }

    /** Whether an HDLC frame to {@code a} is this meter's. */
    boolean answersTo(HdlcAddress a) {
        return accepts(a);
    }

    /** Serves the frames of one line connection meant for this meter, until the link ends. */
    void serveStation(ByteLink frames) {
        serve(frames, null);
    }

    private boolean accepts(HdlcAddress a) {
        return a.upper() == serverLogical && (serverPhysical == 0 || a.lower() == serverPhysical);
    }

    /**
     * Serves one connection until it closes (TCP) or the simulator stops (serial line).
     */
    private void serve(ByteLink raw, SignOnLink signOn) {
        ByteLink link = new FaultyLink(lineTiming > 0 ? new PacedLink(raw, lineTiming) : raw, faults);
        MeterSession session = new MeterSession(this);
        ApduChannel channel;
        HdlcLink hdlc = null;
        WrapperLink wrapper = null;
        if (transport.hdlc()) {
            hdlc = HdlcLink.server(link, this::accepts, hdlcLimits, new HdlcLink.ServerEvents() {
                @Override
                public void linkReset(HdlcAddress client, boolean connected) {
                    session.reset();
                    if (!connected && signOn != null) {
                        try {
                            signOn.listenForSignOn(); // an optical port goes back to 300 baud for the next sign-on
                        } catch (IOException e) {
                            LOG.log(System.Logger.Level.WARNING, "cannot reset {0}: {1}", serial.device(), e.getMessage());
                        }
                    }
                }
            });
            channel = hdlc;
        } else {
            wrapper = WrapperLink.server(link, serverLogical);
            channel = wrapper;
        }
        while (running) {
            byte[] apdu;
            try {
                apdu = channel.receive(POLL);
            } catch (LinkTimeoutException e) {
                continue;
            } catch (FrameException e) {
                if (hdlc == null) {
                    return; // a broken wrapper stream cannot be resynchronised
                }
                continue; // HDLC: the frame is dropped, the client repeats or times out
            } catch (IOException e) {
                if (signOn != null && running && !(e instanceof java.io.EOFException)) {
                    // jSerialComm reports a failed read when the peer re-programs its end of a pty (a baud rate
                    // switch); a real line that is gone keeps failing, and stop() ends the loop.
                    pause();
                    continue;
                }
                return;
            }
            int clientSap;
            if (hdlc != null) {
                clientSap = hdlc.remote().upper();
            } else {
                if (wrapper.lastDestination() != serverLogical) {
                    continue; // not our logical device: a meter stays silent
                }
                clientSap = wrapper.remotePort();
            }
            byte[] answer = session.handle(apdu, clientSap);
            if (answer == null) {
                continue;
            }
            try {
                for (byte[] push = pushesOnLink.poll(); push != null; push = pushesOnLink.poll()) {
                    channel.send(push, responseTimeout);
                }
                channel.send(answer, responseTimeout);
            } catch (LinkTimeoutException | FrameException e) {
                continue; // the client stopped polling for segments
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "DlmsSimulator[" + endpoint() + ", server " + serverLogical + (serverPhysical != 0 ? "/" + serverPhysical : "")
                + ", serial " + serialNumber + ", " + access + "]";
    }

    /** Options of a simulated meter; defaults: wrapper over TCP on 127.0.0.1, ephemeral port, dlms-standard. */
    public static final class Builder {
        private Transport transport = Transport.WRAPPER_TCP;
        private String bindAddress = "127.0.0.1";
        private int port;
        private SerialSettings serial;
        private boolean modeEBaudSwitch;
        private SimulatedDevice device;
        private long seed = 1;
        private Clock clock = Clock.systemUTC();
        private String serialNumber = "62124022443";
        private int serverLogical = 1;
        private int serverPhysical;
        private MeterAccess access = MeterAccess.defaults();
        private int maxPduSize = 1024;
        private int hdlcMaxInfo = 128;
        private int hdlcWindow = 1;
        private boolean withList = true;
        private Duration responseTimeout = Duration.ofSeconds(5);
        private Duration history = Duration.ofDays(92);
        private Duration clockOffset = Duration.ZERO;
        private int deviation;
        private int lineTiming;

        private Builder() {
        }

        public Builder wrapperTcp() {
            this.transport = Transport.WRAPPER_TCP;
            return this;
        }

        public Builder hdlcTcp() {
            this.transport = Transport.HDLC_TCP;
            return this;
        }

        /** HDLC on a serial device or pty. */
        public Builder hdlcSerial(SerialSettings settings) {
            this.transport = Transport.HDLC_SERIAL;
            this.serial = settings;
            return this;
        }

        /** Listen at 300 baud 7E1 for the mode E sign-on and switch to the HDLC rate after it (real optical ports). */
        public Builder modeEBaudSwitch(boolean on) {
            this.modeEBaudSwitch = on;
            return this;
        }

        public Builder bind(String address) {
            this.bindAddress = address;
            return this;
        }

        /** TCP port; 0 picks a free one ({@link DlmsSimulator#port()} tells which). */
        public Builder port(int p) {
            this.port = p;
            return this;
        }

        /** The device to serve; by default dlms-standard with seed 1 on the system clock. */
        public Builder device(SimulatedDevice d) {
            this.device = d;
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        public Builder serialNumber(String s) {
            if (s == null || s.isBlank() || !s.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7F)) {
                throw new IllegalArgumentException("the serial number must be printable ASCII");
            }
            this.serialNumber = s;
            return this;
        }

        /** Server logical address (wrapper wPort, HDLC upper) and physical address (HDLC lower; 0 = answer any). */
        public Builder serverAddress(int logical, int physical) {
            if (logical < 1 || logical > 0x3FFF || physical < 0 || physical > 0x3FFF) {
                throw new IllegalArgumentException("server addresses are 1..16383 (physical 0 = any)");
            }
            this.serverLogical = logical;
            this.serverPhysical = physical;
            return this;
        }

        public Builder access(MeterAccess a) {
            this.access = a;
            return this;
        }

        /** The largest APDU the meter accepts (InitiateResponse server-max-receive-pdu-size). */
        public Builder maxPduSize(int n) {
            if (n < 64 || n > 0xFFFF) {
                throw new IllegalArgumentException("max PDU size must be 64..65535");
            }
            this.maxPduSize = n;
            return this;
        }

        /** Most the meter accepts in HDLC negotiation. */
        public Builder hdlc(int maxInfo, int window) {
            HdlcParameters.of(maxInfo, window);
            this.hdlcMaxInfo = maxInfo;
            this.hdlcWindow = window;
            return this;
        }

        /** Offer GET-with-list (multiple-references); off simulates meters that read one attribute per request. */
        public Builder withList(boolean on) {
            this.withList = on;
            return this;
        }

        public Builder responseTimeout(Duration d) {
            this.responseTimeout = d;
            return this;
        }

        /**
         * How far back the load profile, daily values and event log reach at start (default 92 days; each buffer
         * keeps at most its capacity: 8832 quarter hours, 400 days, 500 events). Zero: empty buffers.
         */
        public Builder history(Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("history must not be negative");
            }
            this.history = d;
            return this;
        }

        /** The meter's clock runs this far ahead of the simulator's clock (negative: behind); default 0. */
        public Builder clockOffset(Duration d) {
            this.clockOffset = d;
            return this;
        }

        /**
         * The meter keeps local time with this deviation in minutes, local time = UTC - deviation (a meter on CET
         * sends -60); default 0, UTC. Clock time_zone (attribute 3) and every date-time it sends follow it.
         */
        public Builder deviation(int minutes) {
            if (minutes < -720 || minutes > 720) {
                throw new IllegalArgumentException("deviation is -720..720 minutes, got " + minutes);
            }
            this.deviation = minutes;
            return this;
        }

        /**
         * Paces every HDLC frame sent as a serial line at {@code baud} would (8N1: n bytes take n * 10 / baud
         * seconds), on a pty or over TCP alike; 0 (default) sends at once.
         */
        public Builder lineTiming(int baud) {
            if (baud != 0 && (baud < 50 || baud > 4_000_000)) {
                throw new IllegalArgumentException("line timing is 50..4000000 baud (0 = off), got " + baud);
            }
            this.lineTiming = baud;
            return this;
        }

        public DlmsSimulator build() {
            if (transport == Transport.HDLC_SERIAL && serial == null) {
                throw new IllegalArgumentException("a serial simulator needs a device");
            }
            if (lineTiming > 0 && !transport.hdlc()) {
                throw new IllegalArgumentException("line timing paces HDLC frames; the wrapper is TCP only");
            }
            return new DlmsSimulator(this);
        }
    }
}
