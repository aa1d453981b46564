package io.edgegateway.simulator;

import io.edgegateway.sim.dlms.MeterAccess;
import io.edgegateway.sim.dlms.DlmsSimulator;
import io.edgegateway.sim.dlms.DlmsFaults;
import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.apdu.DataAccessResult;
import io.edgegateway.profile.ConfigNode;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.serial.Parity;
import io.edgegateway.serial.SerialSettings;
import io.edgegateway.command.Command;
import io.edgegateway.sim.model.SimulatedDevice;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
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
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        DlmsSimulator.Builder b = DlmsSimulator.builder();
        Args a = new Args(args);
        MeterAccess access = MeterAccess.defaults();
        String profileName = "dlms-standard";
        Path profileDir = null;
        long seed = 1;
        boolean freeze = false;
        List<String> failures = new ArrayList<>();
        Duration delay = Duration.ZERO;
        boolean silent = false;
        int corrupt = 0;
        int truncate = 0;
        int drip = 0;
        boolean garbage = false;
        String device = null;
        int baud = 9600;
        Parity parity = Parity.NONE;
        boolean modeE = false;
        int port = 4059;
        String bind = "0.0.0.0";
        boolean hdlc = false;
        int publicClient = 16;
        int llsClient = 32;
        int hlsClient = 48;
        int logical = 1;
        int physical = 0;
        byte[] ek = null;
        byte[] ak = null;
        byte[] title = null;
        String password = null;
        while (a.more()) {
            String opt = a.next();
            switch (opt) {
                case "--server-logical" -> logical = a.integer(opt, 1, 0x3FFF);
                case "--server-physical" -> physical = a.integer(opt, 0, 0x3FFF);
                case "--serial-number" -> b.serialNumber(a.value(opt));
                case "--profile" -> profileName = a.value(opt);
                case "--profile-dir" -> profileDir = Path.of(a.value(opt));
                case "--seed" -> seed = a.integer(opt, 0, Integer.MAX_VALUE);
                case "--freeze" -> freeze = true;
                case "--public-client" -> publicClient = a.integer(opt, 1, 127);
                case "--lls-client" -> llsClient = a.integer(opt, 1, 127);
                case "--password" -> password = a.value(opt);
                case "--hls-client" -> hlsClient = a.integer(opt, 1, 127);
                case "--ek" -> ek = a.hex(opt, 16);
                case "--ak" -> ak = a.hex(opt, 16);
                case "--system-title" -> title = a.hex(opt, 8);
                case "--max-pdu" -> b.maxPduSize(a.integer(opt, 64, 0xFFFF));
                case "--hdlc-max-info" -> a.integer(opt, 32, 2030);
                case "--hdlc-window" -> a.integer(opt, 1, 7);
                case "--no-with-list" -> b.withList(false);
                case "--delay" -> delay = Duration.ofMillis(a.integer(opt, 0, 600_000));
                case "--silent" -> silent = true;
                case "--fail" -> failures.add(a.value(opt));
                case "--corrupt-frames" -> corrupt = a.integer(opt, 0, 1_000_000);
                case "--truncate-frames" -> truncate = a.integer(opt, 0, 1_000_000);
                case "--drip" -> drip = a.integer(opt, 1, 1_000_000);
                case "--garbage" -> garbage = true;
                case "--device" -> {
                    requireSerial(opt);
                    device = a.value(opt);
                }
                case "--baud" -> {
                    requireSerial(opt);
                    baud = a.integer(opt, 50, 4_000_000);
                }
                case "--parity" -> {
                    requireSerial(opt);
                    parity = Parity.parse(a.value(opt));
                }
                case "--mode-e" -> {
                    requireSerial(opt);
                    modeE = true;
                }
                case "--port" -> {
                    requireTcp(opt);
                    port = a.integer(opt, 0, 65535);
                }
                case "--bind" -> {
                    requireTcp(opt);
                    bind = a.value(opt);
                }
                case "--hdlc" -> {
                    requireTcp(opt);
                    hdlc = true;
                }
                default -> throw new IllegalArgumentException("unknown option " + opt);
            }
        }
        // --hdlc-max-info and --hdlc-window may both be given: read them again together.
        int maxInfo = a.lastInteger("--hdlc-max-info", 128);
        int window = a.lastInteger("--hdlc-window", 1);
        b.hdlc(maxInfo, window);

        access = access.withClients(publicClient, llsClient, hlsClient);
        if (password != null) {
            access = access.withPassword(password);
        }
        access = access.withKeys(ek != null ? ek : access.blockCipherKey(), ak != null ? ak : access.authenticationKey(),
                title != null ? title : access.systemTitle());
        b.access(access).serverAddress(logical, physical);

        ProfileCatalog catalog = profileDir != null ? ProfileCatalog.withDirectory(profileDir) : ProfileCatalog.shipped();
        String wanted = profileName;
        DeviceProfile profile = catalog.find(wanted).orElseThrow(() -> new IllegalArgumentException(
                "no profile '" + wanted + "'; known: " + String.join(", ", catalog.names())));
        if (profile.protocol() != io.edgegateway.profile.Protocol.DLMS) {
            throw new IllegalArgumentException("profile " + profileName + " is a " + profile.protocol().configName()
                    + " profile; a DLMS simulator needs a dlms one");
        }
        SimulatedDevice sim = SimulatedDevice.of(profile, seed, Clock.systemUTC());
        b.device(sim);
        if (serial) {
            if (device == null) {
                throw new IllegalArgumentException("--device PATH is required");
            }
            b.hdlcSerial(SerialSettings.of(device, baud).withParity(parity, 1)).modeEBaudSwitch(modeE);
        } else {
            b.port(port).bind(bind);
            if (hdlc) {
                b.hdlcTcp();
            } else {
                b.wrapperTcp();
            }
        }
        DlmsSimulator meter = b.build();
        DlmsFaults faults = meter.faults();
        faults.delay(delay).silence(silent).corruptNextFrames(corrupt).truncateNextFrames(truncate).drip(drip)
                .garbage(garbage);
        for (String f : failures) {
            applyFailure(faults, f);
        }
        if (freeze) {
            sim.freeze(true);
        }
        meter.start();
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            meter.stop();
            done.countDown();
        }));
        out.println(banner(meter, profile, logical, physical));
        done.await();
        return 0;
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

    private void requireSerial(String opt) {
        if (!serial) {
            throw new IllegalArgumentException(opt + " is a dlms-serial option");
        }
    }

    private void requireTcp(String opt) {
        if (serial) {
            throw new IllegalArgumentException(opt + " is a dlms-tcp option");
        }
    }

    /** Walks the argument list. */
    private static final class Args {
        private final List<String> all;
        private int i;

        Args(List<String> all) {
            this.all = all;
        }

        boolean more() {
            return i < all.size();
        }

        String next() {
            return all.get(i++);
        }

        String value(String opt) {
            if (i >= all.size()) {
                throw new IllegalArgumentException(opt + " needs a value");
            }
            return all.get(i++);
        }

        int integer(String opt, int min, int max) {
            String v = value(opt);
            int n;
            try {
                n = ConfigNode.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(opt + " needs a number, got '" + v + "'");
            }
            if (n < min || n > max) {
                throw new IllegalArgumentException(opt + " must be " + min + ".." + max + ", got " + n);
            }
            return n;
        }

        int lastInteger(String opt, int defaultValue) {
            int at = all.lastIndexOf(opt);
            return at >= 0 && at + 1 < all.size() ? ConfigNode.parseInt(all.get(at + 1)) : defaultValue;
        }

        byte[] hex(String opt, int bytes) {
            String v = value(opt).replaceAll("[\\s:]", "");
            byte[] b;
            try {
                b = HexFormat.of().parseHex(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(opt + " needs " + (2 * bytes) + " hex digits");
            }
            if (b.length != bytes) {
                throw new IllegalArgumentException(opt + " needs " + (2 * bytes) + " hex digits, got " + v.length());
            }
            return b;
        }

        @Override
        public String toString() {
            return String.join(" ", all);
        }
    }
}
