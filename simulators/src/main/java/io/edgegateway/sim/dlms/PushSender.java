package io.edgegateway.sim.dlms;

import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.axdr.CosemDateTime;
import io.edgegateway.dlms.axdr.DlmsData;
import io.edgegateway.dlms.push.DataNotification;
import io.edgegateway.dlms.push.GeneralCiphering;
import io.edgegateway.dlms.push.PushObject;
import io.edgegateway.dlms.push.SystemTitle;
import io.edgegateway.dlms.security.Ciphering;
import io.edgegateway.dlms.wrapper.WrapperHeader;
import io.edgegateway.point.CosemAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.sim.model.SimulatedDevice;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * A simulated meter's Push setup: connects to a head-end (the gateway's {@code dlms-push} port) over TCP and sends
 * a Data-Notification in an IEC 62056-47 wrapper frame every interval, with the date-time and the values of its push
 * object list {push setup 0.0.25.9.0.255 logical name, 1.0.1.8.0.255, 1.0.2.8.0.255, 1.0.32.7.0.255,
 * 1.0.31.7.0.255, 1.0.1.7.0.255}, each register encoded as the meter serves it (value over 10^scaler in the unit
 * without prefix). With keys, each push is ciphered with general-glo-ciphering under the meter's system title and
 * the next invocation counter; without, it goes plain. When the head-end is not there it retries with a backoff
 * doubling up to a minute. {@link #close} stops it.
 */
public final class PushSender implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PushSender.class.getName());

    /** The Push setup whose logical name leads the list (class 40, attribute 1). */
    public static final CosemAddress PUSH_SETUP_NAME = new CosemAddress(40, new ObisCode(0, 0, 25, 9, 0, 255), 1);
    /** The registers pushed, in order after the push setup's name. */
    public static final List<ObisCode> REGISTERS = List.of(ObisCode.parse("1.0.1.8.0.255"),
            ObisCode.parse("1.0.2.8.0.255"), ObisCode.parse("1.0.32.7.0.255"), ObisCode.parse("1.0.31.7.0.255"),
            ObisCode.parse("1.0.1.7.0.255"));
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

    /** One register of the list: the profile's point (null when the profile has none) and how it travels. */
    private record Register(PushObject object, Point point, MeterObjects.Encoding encoding) {
    }

    private final SimulatedDevice device;
    private final String host;
    private final int port;
    private final Duration every;
    private final SystemTitle systemTitle;
    private final Ciphering keys;
    private final Clock clock;
    private final int deviation;
    private final Duration firstBackoff;
    private final List<Register> registers = new ArrayList<>();
    private final AtomicLong invocationCounter;
    private final AtomicLong invokeId = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicReference<Socket> socket = new AtomicReference<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private Thread thread;

    private PushSender(Builder b) {
        this.device = b.device;
        this.host = Objects.requireNonNull(b.host, "target");
        this.port = b.port;
        this.every = b.every;
        this.systemTitle = b.systemTitle;
        this.keys = b.keys;
        this.clock = b.clock;
        this.deviation = b.deviation;
        this.firstBackoff = b.backoff;
        this.invocationCounter = new AtomicLong(b.firstInvocationCounter);
        for (ObisCode o : REGISTERS) {
            CosemAddress a = new CosemAddress(3, o, 2);
            Point p = device.profile().points().stream().filter(x -> a.equals(x.address())).findFirst().orElse(null);
            MeterObjects.Encoding e = p == null ? null : MeterObjects.encoding(p);
            registers.add(new Register(e == null ? PushObject.of(a) : new PushObject(a, e.scaler(), e.unit().symbol()),
                    p, e));
        }
    }

    /** @param device whose values are pushed */
    public static Builder builder(SimulatedDevice device) {
        return new Builder(device);
    }

    /** The push object list with each register's scaler and unit: what the head-end is configured with. */
    public List<PushObject> objects() {
        List<PushObject> out = new ArrayList<>();
        out.add(PushObject.of(PUSH_SETUP_NAME));
        registers.forEach(r -> out.add(r.object()));
        return out;
    }

    public SystemTitle systemTitle() {
        return systemTitle;
    }

    /** Starts pushing on a virtual thread. */
    public synchronized PushSender start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        thread = Thread.ofVirtual().name("push-sender-" + systemTitle).start(this::run);
        return this;
    }

    /** Pushes written to the socket so far. */
    public long sent() {
        return sent.get();
    }

    /** Connections made to the head-end so far. */
    public long connects() {
        return connects.get();
    }

    /** The invocation counter of the next ciphered push. */
    public long nextInvocationCounter() {
        return invocationCounter.get();
    }

    /** The next push as its wrapper frame, the device's values read now; the counter and invoke id move on. */
    public byte[] nextFrame() {
        return WrapperHeader.frame(1, 1, nextApdu());
    }

    /** The next push's APDU: a Data-Notification, ciphered when the sender has keys. */
    public byte[] nextApdu() {
        List<DlmsData> values = new ArrayList<>();
        values.add(new DlmsData.OctetString(PUSH_SETUP_NAME.obis().toBytes()));
        for (Register r : registers) {
            values.add(value(r));
        }
        long id = invokeId.getAndIncrement() & 0xFF_FFFF;
        byte[] plain = new DataNotification(id, Optional.of(CosemDateTime.of(clock.instant(), deviation, 0)),
                new DlmsData.Structure(values)).encode();
        if (keys == null) {
            return plain;
        }
        long ic = invocationCounter.getAndIncrement() & 0xFFFF_FFFFL;
        return GeneralCiphering.glo(keys, Ciphering.AUTHENTICATED_ENCRYPTED, systemTitle, ic, plain).encode();
    }

    private DlmsData value(Register r) {
        if (r.point() == null) {
            return DlmsData.Null.INSTANCE;
        }
        PointValue v = device.value(r.point());
        if (!(v instanceof PointValue.Number)) {
            return DlmsData.Null.INSTANCE;
        }
        return MeterObjects.integer(r.encoding().type(), MeterObjects.raw(r.point(), r.encoding(), v));
    }

    private void run() {
        Duration backoff = firstBackoff;
        while (stopped.getCount() > 0) {
            try (Socket s = new Socket()) {
                socket.set(s);
                if (stopped.getCount() == 0) {
                    return;
                }
                s.connect(new InetSocketAddress(host, port), 5000);
                connects.incrementAndGet();
                backoff = firstBackoff;
                OutputStream out = s.getOutputStream();
                do {
                    out.write(nextFrame());
                    out.flush();
                    sent.incrementAndGet();
                } while (!await(every));
            } catch (IOException e) {
                if (stopped.getCount() == 0) {
                    return;
                }
                LOG.fine(() -> "push to " + host + ":" + port + " failed (" + e.getMessage() + "); retrying");
                if (await(backoff)) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            } finally {
                socket.set(null);
            }
        }
    }

    /** Waits, or returns true at once when stopped. */
    private boolean await(Duration d) {
        try {
            return stopped.await(d.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** Stops pushing and closes the connection. */
    @Override
    public void close() {
        stopped.countDown();
        Socket s = socket.get();
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public static final class Builder {
        private final SimulatedDevice device;
        private String host;
        private int port;
        private Duration every = Duration.ofMinutes(1);
        private SystemTitle systemTitle = new SystemTitle(MeterAccess.DEFAULT_SYSTEM_TITLE);
        private Ciphering keys;
        private Clock clock = Clock.systemUTC();
        private int deviation;
        private Duration backoff = Duration.ofMillis(500);
        private long firstInvocationCounter = 1;

        private Builder(SimulatedDevice device) {
            this.device = Objects.requireNonNull(device, "device");
        }

        /** Where the head-end listens. */
        public Builder target(String targetHost, int targetPort) {
            if (targetPort < 1 || targetPort > 65535) {
                throw new IllegalArgumentException("port " + targetPort + " out of range 1..65535");
            }
            this.host = targetHost;
            this.port = targetPort;
            return this;
        }

        public Builder every(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("the push interval must be positive");
            }
            this.every = interval;
            return this;
        }

        /** The meter's system title (default "EDGESIM1", the simulator's). */
        public Builder systemTitle(byte[] title) {
            this.systemTitle = new SystemTitle(title);
            return this;
        }

        /** Ciphers every push (general-glo-ciphering, authenticated and encrypted); without keys pushes are plain. */
        public Builder keys(byte[] blockCipherKey, byte[] authenticationKey) {
            this.keys = new Ciphering(blockCipherKey, authenticationKey);
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        /** The meter's clock deviation in minutes (local time = UTC - deviation; -60 on CET); default 0, UTC. */
        public Builder deviation(int minutes) {
            this.deviation = minutes;
            return this;
        }

        /** The first wait when the head-end cannot be reached; it doubles up to a minute. */
        public Builder backoff(Duration first) {
            this.backoff = first;
            return this;
        }

        public Builder firstInvocationCounter(long ic) {
            this.firstInvocationCounter = ic;
            return this;
        }

        public PushSender build() {
            return new PushSender(this);
        }
    }
}
