package io.edgegateway.simulator;

import io.edgegateway.sim.dlms.MeterAccess;
import io.edgegateway.sim.dlms.DlmsSimulator;
import io.edgegateway.sim.dlms.DlmsFaults;
import io.edgegateway.sim.dlms.MultiDropSimulator;
import io.edgegateway.sim.dlms.PushSender;
import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.apdu.DataAccessResult;
import io.edgegateway.profile.ConfigNode;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.serial.Parity;
import io.edgegateway.serial.SerialSettings;
import io.edgegateway.command.Command;
import io.edgegateway.command.Options;
import io.edgegateway.sim.model.SimulatedDevice;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/simulator dlms-tcp} and {@code bin/simulator dlms-serial}: a simulated DLMS meter on TCP (wrapper or
 * HDLC) or on a serial port / pty (HDLC).
 */
public final class DlmsCommand implements Command {

    private final boolean serial;

    private DlmsCommand(boolean serial) {
        this.serial = serial;
    }

    public static DlmsCommand tcp() {
        return new DlmsCommand(false);
    }

    public static DlmsCommand serial() {
        return new DlmsCommand(true);
    }

    @Override
    public String name() {
        return serial ? "dlms-serial" : "dlms-tcp";
    }

    @Override
    public String summary() {
        return serial ? "DLMS/COSEM meter, HDLC on a serial port or pty (optical head, RS-485)"
                : "DLMS/COSEM meter on TCP: IEC 62056-47 wrapper, or HDLC with --hdlc";
    }

    private static final String COMMON = """
              --server-logical N     server logical address / wrapper wPort (default 1)
              --server-physical N    HDLC lower (physical) address; 0 answers any (default 0)
              --serial-number TEXT   meter serial number, object 0.0.96.1.0.255 (default 62124022443)
              --profile NAME         DLMS profile to serve (default dlms-standard)
              --profile-dir DIR      extra profiles (*.yaml) for --profile
              --seed N               random seed of the simulated physics (default 1)
              --meters N             HDLC multi-drop: N meters on the one line (serial port, or TCP with --hdlc),
                                     physical addresses from --server-physical (default 16) up, serial numbers
                                     and seeds counted up from --serial-number and --seed
              --freeze               keep values constant (tests, screenshots)
              --public-client N      client address without security (default 16)
              --lls-client N         client address with a password, LLS (default 32)
              --password TEXT        LLS password (default 12345678)
              --hls-client N         client address with HLS-GMAC and AES-GCM ciphering (default 48)
              --ek HEX               block cipher key, 32 hex digits (default: Green Book example key 0001..0F)
              --ak HEX               authentication key, 32 hex digits (default: example key D0D1..DF)
              --system-title HEX     the meter's system title, 16 hex digits (default 45444745 53494D31, "EDGESIM1")
              --max-pdu N            largest APDU the meter accepts (default 1024)
              --hdlc-max-info N      largest HDLC information field the meter accepts, 32..2030 (default 128)
              --hdlc-window N        HDLC window size the meter accepts, 1..7 (default 1)
              --no-with-list         refuse GET-with-list (meters that read one attribute per request)
              --history DURATION     how far back load profile 1.0.99.1.0.255, daily values 1.0.99.2.0.255 and the
                                     event log 0.0.99.98.0.255 reach at start, e.g. 92d, 12h, 0 (default 92d;
                                     at most 8832 quarter hours, 400 days, 500 events)
              --clock-offset DURATION
                                     the meter clock runs this far ahead of the host's, e.g. 30s, -5m (default 0)
              --deviation MIN        the meter keeps local time = UTC - MIN minutes, e.g. -60 for CET (default 0)
              --line-timing BAUD     pace every HDLC frame sent as an 8N1 line at BAUD would (10 bits a byte),
                                     e.g. 9600; for throughput benchmarks on a pty or HDLC over TCP
              --push HOST:PORT       also push a Data-Notification to HOST:PORT (a head-end's dlms-push port):
                                     the push setup's name, 1.0.1.8.0.255, 1.0.2.8.0.255, 1.0.32.7.0.255,
                                     1.0.31.7.0.255, 1.0.1.7.0.255 and the date-time, ciphered with --ek and --ak
                                     under --system-title (general-glo-ciphering); reconnects when refused
              --push-every DURATION  time between pushes, e.g. 15s (default 60s)
            Faults:
              --delay MS             wait this long before every frame sent
              --silent               read requests, answer nothing
              --fail OBIS[/ATTR]=RESULT
                                     answer a data-access-result for an object or one attribute; repeatable.
                                     RESULT: object-undefined, read-write-denied, temporary-failure,
                                     hardware-fault, object-unavailable, other-reason
              --corrupt-frames N     send the first N frames with a wrong FCS (HDLC) or wrapper version
              --truncate-frames N    send the first N frames cut to half
              --drip N               send every frame byte by byte, N bytes per second
              --garbage              send random bytes instead of every frame
            """;

    @Override
    public String help() {
        if (serial) {
            return """
                    dlms-serial: a simulated DLMS/COSEM meter, HDLC on a serial port or pty.
                    Usage: bin/simulator dlms-serial --device PATH [OPTIONS]
                      --device PATH          serial device or pty link, e.g. /dev/ttyUSB0 (required)
                      --baud N               HDLC baud rate (default 9600)
                      --parity none|even|odd (default none; 8 data bits, 1 stop bit)
                      --mode-e               optical port: listen at 300 baud 7E1 for the IEC 62056-21 sign-on
                                             (/?!), answer, and switch to --baud for HDLC after ACK 2 Z 2.
                                             Without it a sign-on is still answered, without a baud switch.
                    """ + COMMON + """
                    Examples:
                      socat -d -d pty,raw,echo=0,link=/tmp/meterA pty,raw,echo=0,link=/tmp/meterB &
                      bin/simulator dlms-serial --device /tmp/meterA
                        (the client opens /tmp/meterB: HDLC, client 16, server 1)
                      bin/simulator dlms-serial --device /dev/ttyUSB0 --baud 9600 --server-physical 17
                      bin/simulator dlms-serial --device /dev/ttyUSB1 --mode-e --baud 9600
                      bin/simulator dlms-serial --device /tmp/meterA --meters 3
                        (meters at HDLC addresses 16, 17 and 18 share the line, as on an RS-485 bus)
                      bin/simulator dlms-serial --device /tmp/meterA --line-timing 9600
                        (on a pty, answers take as long as on a 9600 baud line)
                    """;
        }
        return """
                dlms-tcp: a simulated DLMS/COSEM meter on TCP.
                Usage: bin/simulator dlms-tcp [--port N] [--hdlc] [OPTIONS]
                  --port N               TCP port (default 4059; 0 picks a free one)
                  --bind ADDR            address to listen on (default 0.0.0.0)
                  --hdlc                 HDLC frames over TCP instead of the IEC 62056-47 wrapper
                """ + COMMON + """
                Examples:
                  bin/simulator dlms-tcp --port 4059
                    (wrapper; public client 16, server 1; LLS client 32 password 12345678; HLS client 48)
                  bin/simulator dlms-tcp --port 4060 --hdlc --server-physical 17
                  bin/simulator dlms-tcp --port 4059 --password s3cret --ek 00112233445566778899AABBCCDDEEFF
                  bin/simulator dlms-tcp --fail 1.0.32.7.0.255/2=object-undefined --delay 200
                  bin/simulator dlms-tcp --hdlc --history 30d --clock-offset -5m --deviation -60 --line-timing 9600
                  bin/simulator dlms-tcp --port 4061 --push 127.0.0.1:4059 --push-every 15s
                """;
    }

    /** Options of both kinds of simulator, then those of one only (named in the error when given to the other). */
    private static final Set<String> VALUED = Set.of("server-logical", "server-physical", "serial-number", "profile",
            "profile-dir", "seed", "public-client", "lls-client", "password", "hls-client", "ek", "ak", "system-title",
            "max-pdu", "hdlc-max-info", "hdlc-window", "delay", "fail", "corrupt-frames", "truncate-frames", "drip",
            "history", "clock-offset", "deviation", "line-timing", "push", "push-every", "meters");
    private static final Set<String> FLAGS = Set.of("freeze", "no-with-list", "silent", "garbage");
    private static final Set<String> SERIAL_VALUED = Set.of("device", "baud", "parity");
    private static final Set<String> SERIAL_FLAGS = Set.of("mode-e");
    private static final Set<String> TCP_VALUED = Set.of("port", "bind");
    private static final Set<String> TCP_FLAGS = Set.of("hdlc");

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Set<String> valued = new HashSet<>(VALUED);
        Set<String> flags = new HashSet<>(FLAGS);
        valued.addAll(SERIAL_VALUED);
        valued.addAll(TCP_VALUED);
        flags.addAll(SERIAL_FLAGS);
        flags.addAll(TCP_FLAGS);
        Options o = Options.parse(args, valued, flags).positionalCount(0, 0, "");
        for (String name : serial ? union(TCP_VALUED, TCP_FLAGS) : union(SERIAL_VALUED, SERIAL_FLAGS)) {
            if (o.has(name)) {
                throw new IllegalArgumentException("--" + name + " is a " + (serial ? "dlms-tcp" : "dlms-serial")
                        + " option");
            }
        }
        int meters = o.integer("meters", 1, 1, 254);
        boolean hdlc = serial || o.has("hdlc");
        if (meters > 1 && !hdlc) {
            throw new IllegalArgumentException("--meters puts several meters on one HDLC line: add --hdlc");
        }
        if (meters > 1 && (o.has("mode-e") || o.has("push"))) {
            throw new IllegalArgumentException("--meters is a multi-drop line; --mode-e and --push are for one meter");
        }
        if (o.has("line-timing") && !hdlc) {
            throw new IllegalArgumentException("--line-timing paces HDLC frames: add --hdlc");
        }
        int logical = o.integer("server-logical", 1, 1, 0x3FFF);
        // On a multi-drop line every meter needs its own address: 16, 17, ... unless told where to start.
        int physical = o.integer("server-physical", meters > 1 ? 16 : 0, 0, 0x3FFF);
        if (meters > 1 && (physical == 0 || physical + meters - 1 > 0x3FFD)) {
            throw new IllegalArgumentException("--meters " + meters + " needs --server-physical from 1 to "
                    + (0x3FFD - meters + 1));
        }
        DeviceProfile profile = profile(o);
        int seed = o.integer("seed", 1, 0, Integer.MAX_VALUE);
        String serialNumber = o.value("serial-number", "62124022443");
        List<DlmsSimulator> line = new ArrayList<>();
        for (int i = 0; i < meters; i++) {
            String number = meters == 1 ? serialNumber : numbered(serialNumber, i);
            line.add(meter(o, profile, seed + i, number, logical, physical == 0 ? 0 : physical + i));
        }
        DlmsSimulator meter = line.getFirst();
        PushSender push = o.has("push") ? pushSender(o, meter.device(), meter) : null;
        if (meters > 1) {
            MultiDropSimulator multiDrop = serial
                    ? MultiDropSimulator.onSerial(serialSettings(o), line)
                    : MultiDropSimulator.onTcp(o.value("bind", "0.0.0.0"), o.integer("port", 4059, 0, 65535), line);
            multiDrop.start();
            CountDownLatch done = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                multiDrop.stop();
                done.countDown();
            }));
            out.println("DLMS multi-drop line of " + meters + " meters on " + (serial ? o.required("device")
                    : o.value("bind", "0.0.0.0") + ":" + multiDrop.port() + " (hdlc)") + ", server " + logical
                    + ", physical " + physical + ".." + (physical + meters - 1) + ", serial numbers "
                    + line.getFirst().serialNumber() + ".." + line.getLast().serialNumber() + "\n  Ctrl-C stops.");
            done.await();
            return 0;
        }
        meter.start();
        if (push != null) {
            push.start();
        }
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (push != null) {
                push.close();
            }
            meter.stop();
            done.countDown();
        }));
        out.println(banner(meter, profile, logical, physical));
        if (push != null) {
            out.println("  pushing to " + o.required("push") + " every " + o.value("push-every", "60s")
                    + " (system title " + push.systemTitle() + ", ciphered)");
        }
        done.await();
        return 0;
    }

    /** One meter with every option applied: the simulator, or one station of a multi-drop line. */
    private DlmsSimulator meter(Options o, DeviceProfile profile, int seed, String serialNumber, int logical,
                                int physical) {
        DlmsSimulator.Builder b = DlmsSimulator.builder().serialNumber(serialNumber);
        if (o.has("max-pdu")) {
            b.maxPduSize(o.integer("max-pdu", 0, 64, 0xFFFF));
        }
        if (o.has("no-with-list")) {
            b.withList(false);
        }
        b.hdlc(o.integer("hdlc-max-info", 128, 32, 2030), o.integer("hdlc-window", 1, 1, 7));
        o.value("history").ifPresent(h -> b.history(signedDuration("--history", h, false)));
        o.value("clock-offset").ifPresent(d -> b.clockOffset(signedDuration("--clock-offset", d, true)));
        b.deviation(o.integer("deviation", 0, -720, 720));
        b.lineTiming(o.integer("line-timing", 0, 50, 4_000_000));
        MeterAccess access = MeterAccess.defaults().withClients(o.integer("public-client", 16, 1, 127),
                o.integer("lls-client", 32, 1, 127), o.integer("hls-client", 48, 1, 127));
        if (o.has("password")) {
            access = access.withPassword(o.required("password"));
        }
        access = access.withKeys(hex(o, "ek", 16).orElse(access.blockCipherKey()),
                hex(o, "ak", 16).orElse(access.authenticationKey()), hex(o, "system-title", 8).orElse(access.systemTitle()));
        b.access(access).serverAddress(logical, physical);
        SimulatedDevice sim = SimulatedDevice.of(profile, seed, Clock.systemUTC());
        b.device(sim).seed(seed);
        if (serial) {
            b.hdlcSerial(serialSettings(o)).modeEBaudSwitch(o.has("mode-e"));
        } else {
            b.port(o.integer("port", 4059, 0, 65535)).bind(o.value("bind", "0.0.0.0"));
            if (o.has("hdlc")) {
                b.hdlcTcp();
            } else {
                b.wrapperTcp();
            }
        }
        DlmsSimulator meter = b.build();
        DlmsFaults faults = meter.faults();
        faults.delay(Duration.ofMillis(o.integer("delay", 0, 0, 600_000))).silence(o.has("silent"))
                .corruptNextFrames(o.integer("corrupt-frames", 0, 0, 1_000_000))
                .truncateNextFrames(o.integer("truncate-frames", 0, 0, 1_000_000))
                .drip(o.integer("drip", 0, 1, 1_000_000)).garbage(o.has("garbage"));
        for (String f : o.all("fail")) {
            applyFailure(faults, f);
        }
        if (o.has("freeze")) {
            sim.freeze(true);
        }
        return meter;
    }

    private static DeviceProfile profile(Options o) {
        String profileName = o.value("profile", "dlms-standard");
        Path profileDir = o.value("profile-dir").map(Path::of).orElse(null);
        ProfileCatalog catalog = profileDir != null ? ProfileCatalog.withDirectory(profileDir)
                : ProfileCatalog.shipped();
        DeviceProfile profile = catalog.find(profileName).orElseThrow(() -> new IllegalArgumentException(
                "no profile '" + profileName + "'; known: " + String.join(", ", catalog.names())));
        if (profile.protocol() != io.edgegateway.profile.Protocol.DLMS) {
            throw new IllegalArgumentException("profile " + profileName + " is a " + profile.protocol().configName()
                    + " profile; a DLMS simulator needs a dlms one");
        }
        return profile;
    }

    private static SerialSettings serialSettings(Options o) {
        String device = o.value("device").orElseThrow(() -> new IllegalArgumentException("--device PATH is required"));
        return SerialSettings.of(device, o.integer("baud", 9600, 50, 4_000_000))
                .withParity(Parity.parse(o.value("parity", "none")), 1);
    }

    /** The {@code i}th meter's number on a line: a numeric serial counted up, any other with a suffix. */
    static String numbered(String first, int i) {
        if (first.matches("\\d{1,18}")) {
            return String.format("%0" + first.length() + "d", Long.parseLong(first) + i);
        }
        return first + "-" + (i + 1);
    }

    private static String banner(DlmsSimulator m, DeviceProfile profile, int logical, int physical) {
        MeterAccess a = m.access();
        return "DLMS meter simulator on " + m.endpoint() + "\n"
                + "  server address " + logical + (physical != 0 ? ", physical " + physical : " (any physical)")
                + ", serial number " + m.serialNumber() + ", profile " + profile.name() + " ("
                + profile.points().size() + " points)\n"
                + "  clients: " + a.publicClient() + " public (no security), " + a.llsClient() + " LLS (password set), "
                + a.hlsClient() + " HLS-GMAC (keys set, meter system title "
                + HexFormat.of().withUpperCase().formatHex(a.systemTitle()) + ")\n"
                + "  meter clock " + m.meterTime() + " (offset " + m.clockOffset() + ")\n"
                + "  profiles: load profile 1.0.99.1.0.255 (15 min), daily 1.0.99.2.0.255, events 0.0.99.98.0.255\n"
                + "  Ctrl-C stops.";
    }

    static void applyFailure(DlmsFaults faults, String spec) {
        int eq = spec.indexOf('=');
        if (eq < 0) {
            throw new IllegalArgumentException("--fail needs OBIS[/ATTR]=RESULT, got '" + spec + "'");
        }
        String target = spec.substring(0, eq).trim();
        DataAccessResult result = DataAccessResult.parse(spec.substring(eq + 1));
        int slash = target.indexOf('/');
        if (slash < 0) {
            faults.failObject(ObisCode.parse(target), result);
        } else {
            faults.failAttribute(ObisCode.parse(target.substring(0, slash)),
                    ConfigNode.parseInt(target.substring(slash + 1)), result);
        }
    }

    /** {@code --push HOST:PORT}: the meter's pushes, with its keys and system title, every {@code --push-every}. */
    private static PushSender pushSender(Options o, SimulatedDevice device, DlmsSimulator meter) {
        String target = o.required("push");
        int colon = target.lastIndexOf(':');
        int port = -1;
        try {
            port = colon > 0 ? Integer.parseInt(target.substring(colon + 1)) : -1;
        } catch (NumberFormatException e) {
            // reported below
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--push needs HOST:PORT, e.g. 127.0.0.1:4059, got '" + target + "'");
        }
        Duration every = signedDuration("--push-every", o.value("push-every", "60s"), false);
        if (every.isZero()) {
            throw new IllegalArgumentException("--push-every must be above 0");
        }
        MeterAccess a = meter.access();
        return PushSender.builder(device).target(target.substring(0, colon), port).every(every)
                .systemTitle(a.systemTitle()).keys(a.blockCipherKey(), a.authenticationKey())
                .deviation(o.integer("deviation", 0, -720, 720))
                .clock(Clock.offset(Clock.systemUTC(), meter.clockOffset())).build();
    }

    /** "92d", "30s", "-5m" (a minus sign only where {@code signed}); the launcher's duration syntax. */
    static Duration signedDuration(String option, String text, boolean signed) {
        String t = text.trim();
        boolean negative = signed && t.startsWith("-");
        try {
            Duration d = DashboardsCommand.duration(negative ? t.substring(1) : t);
            if (d.isNegative()) {
                throw new IllegalArgumentException();
            }
            return negative ? d.negated() : d;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " must be a duration such as " + (signed ? "30s or -5m"
                    : "92d or 12h") + ", got '" + text + "'");
        }
    }

    private static Set<String> union(Set<String> x, Set<String> y) {
        Set<String> u = new HashSet<>(x);
        u.addAll(y);
        return u;
    }

    /** A key or system title in hex ("00112233...", colons and spaces allowed), exactly {@code bytes} long. */
    private static Optional<byte[]> hex(Options o, String name, int bytes) {
        Optional<String> given = o.value(name);
        if (given.isEmpty()) {
            return Optional.empty();
        }
        String v = given.get().replaceAll("[\\s:]", "");
        byte[] b;
        try {
            b = HexFormat.of().parseHex(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + name + " needs " + (2 * bytes) + " hex digits");
        }
        if (b.length != bytes) {
            throw new IllegalArgumentException("--" + name + " needs " + (2 * bytes) + " hex digits, got " + v.length());
        }
        return Optional.of(b);
    }
}
