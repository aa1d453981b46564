package io.edgegateway.sim.fault;

import io.edgegateway.profile.ConfigNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Misbehaviour to inject into a simulated device, as field devices misbehave. Immutable; combine with
 * {@link #and}. Protocol servers ask {@link Faults} what to do with each request.
 *
 * @param silent          never answer
 * @param delay           answer this late (zero: at once)
 * @param exceptionCode   answer with this Modbus exception code instead of data (0: none)
 * @param exceptionEvery  ...on every Nth request only (1: every request)
 * @param corruptCrc      probability 0..1 that an RTU answer leaves with a wrong CRC (RTU framings only)
 * @param dropEvery       close the TCP connection instead of answering every Nth request (0: never)
 * @param flapAnswering   with {@code flapSilent}: answer for this long, then stay silent for {@code flapSilent},
 *                        and so on (zero: no flapping)
 * @param flapSilent      the silent half of a flap cycle
 * @param drip            send each answer byte by byte at this many bytes per second (0: at once), as a device
 *                        on a failing link or a hostile one does
 * @param garbage         answer with random bytes of a plausible length instead of the answer
 * @param firstLate       the first answer on each connection comes this much later (zero: no extra delay), as
 *                        devices that wake their Modbus task on a connect do
 */
public record FaultPlan(boolean silent, Duration delay, int exceptionCode, int exceptionEvery, double corruptCrc,
                        int dropEvery, Duration flapAnswering, Duration flapSilent, int drip, boolean garbage,
                        Duration firstLate) {

    /** A well-behaved device. */
    public static final FaultPlan NONE = new FaultPlan(false, Duration.ZERO, 0, 1, 0, 0, Duration.ZERO, Duration.ZERO,
            0, false, Duration.ZERO);

    public FaultPlan {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        if (exceptionCode < 0 || exceptionCode > 255) {
            throw new IllegalArgumentException("exception code must be 1..255, got " + exceptionCode);
        }
        if (exceptionEvery < 1) {
            throw new IllegalArgumentException("exception every must be at least 1, got " + exceptionEvery);
        }
        if (!(corruptCrc >= 0 && corruptCrc <= 1)) {
            throw new IllegalArgumentException("corrupt-crc probability must be 0..1, got " + corruptCrc);
        }
        if (dropEvery < 0) {
            throw new IllegalArgumentException("drop-every must not be negative");
        }
        if (flapAnswering == null || flapSilent == null || flapAnswering.isNegative() || flapSilent.isNegative()
                || flapAnswering.isZero() != flapSilent.isZero()) {
            throw new IllegalArgumentException("flap needs two positive periods (answering, silent)");
        }
        if (drip < 0) {
            throw new IllegalArgumentException("drip must not be negative");
        }
        if (firstLate == null || firstLate.isNegative()) {
            throw new IllegalArgumentException("first-late must not be negative");
        }
    }

    public static FaultPlan silence() {
        return NONE.withSilent(true);
    }

    public static FaultPlan delayed(Duration delay) {
        return NONE.withDelay(delay);
    }

    public static FaultPlan exception(int code) {
        return NONE.withException(code, 1);
    }

    public FaultPlan withSilent(boolean s) {
        return new FaultPlan(s, delay, exceptionCode, exceptionEvery, corruptCrc, dropEvery, flapAnswering, flapSilent,
                drip, garbage, firstLate);
    }

    public FaultPlan withDelay(Duration d) {
        return new FaultPlan(silent, d, exceptionCode, exceptionEvery, corruptCrc, dropEvery, flapAnswering, flapSilent,
                drip, garbage, firstLate);
    }

    public FaultPlan withException(int code, int every) {
        return new FaultPlan(silent, delay, code, every, corruptCrc, dropEvery, flapAnswering, flapSilent, drip, garbage,
                firstLate);
    }

    public FaultPlan withCorruptCrc(double probability) {
        return new FaultPlan(silent, delay, exceptionCode, exceptionEvery, probability, dropEvery, flapAnswering,
                flapSilent, drip, garbage, firstLate);
    }

    public FaultPlan withDropEvery(int n) {
        return new FaultPlan(silent, delay, exceptionCode, exceptionEvery, corruptCrc, n, flapAnswering, flapSilent,
                drip, garbage, firstLate);
    }

    public FaultPlan withFlap(Duration answering, Duration silentFor) {
        return new FaultPlan(silent, delay, exceptionCode, exceptionEvery, corruptCrc, dropEvery, answering, silentFor,
                drip, garbage, firstLate);
    }

    /** Answers trickle out at {@code bytesPerSecond}. */
    public FaultPlan withDrip(int bytesPerSecond) {
        return new FaultPlan(silent, delay, exceptionCode, exceptionEvery, corruptCrc, dropEvery, flapAnswering,
                flapSilent, bytesPerSecond, garbage, firstLate);
    }

    public FaultPlan withGarbage(boolean g) {
        return new FaultPlan(silent, delay, exceptionCode, exceptionEvery, corruptCrc, dropEvery, flapAnswering,
                flapSilent, drip, g, firstLate);
    }

    public FaultPlan withFirstLate(Duration d) {
        return new FaultPlan(silent, delay, exceptionCode, exceptionEvery, corruptCrc, dropEvery, flapAnswering,
                flapSilent, drip, garbage, d);
    }

    public boolean isNone() {
        return equals(NONE);
    }

    /** Both plans at once; where both set the same kind of fault, {@code other} wins (longer delay, likelier CRC). */
    public FaultPlan and(FaultPlan other) {
        return new FaultPlan(silent || other.silent,
                other.delay.compareTo(delay) > 0 ? other.delay : delay,
                other.exceptionCode != 0 ? other.exceptionCode : exceptionCode,
                other.exceptionCode != 0 ? other.exceptionEvery : exceptionEvery,
                Math.max(corruptCrc, other.corruptCrc),
                other.dropEvery != 0 ? other.dropEvery : dropEvery,
                other.flapAnswering.isZero() ? flapAnswering : other.flapAnswering,
                other.flapAnswering.isZero() ? flapSilent : other.flapSilent,
                other.drip != 0 ? other.drip : drip,
                garbage || other.garbage,
                other.firstLate.compareTo(firstLate) > 0 ? other.firstLate : firstLate);
    }

    /** The command-line forms {@link #parse} accepts, for help texts and error messages. */
    public static final String SYNTAX = """
            silent                    never answer
            delay=DURATION            answer late, e.g. delay=1500ms, delay=2s
            exception=CODE[,every=N]  answer with exception CODE (1-255, 0x0B style ok), on every Nth request
            corrupt-crc[=P]           RTU answers leave with a wrong CRC, with probability P (default 1)
            drop-every=N              close the TCP connection instead of answering every Nth request
            flap=ON[/OFF]             answer for ON, stay silent for OFF (default ON), and again, e.g. flap=10s
            drip=N                    send answers byte by byte, N bytes per second, e.g. drip=1
            garbage                   answer with random bytes instead of the answer
            first-late=DURATION       the first answer on each connection comes this much later""";

    /**
     * Parses one fault as written on the command line (without a unit scope), e.g. {@code delay=1500ms},
     * {@code exception=2,every=5}, {@code flap=10s/5s}.
     *
     * @throws IllegalArgumentException naming the problem and the accepted forms
     */
    public static FaultPlan parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        String kind = s.contains("=") ? s.substring(0, s.indexOf('=')) : s;
        String value = s.contains("=") ? s.substring(s.indexOf('=') + 1) : "";
        try {
            return switch (kind) {
                case "silent", "silence" -> {
                    requireEmpty(kind, value);
                    yield silence();
                }
                case "delay" -> delayed(duration(value));
                case "exception" -> {
                    String[] parts = value.split(",");
                    int code = ConfigNode.parseInt(parts[0]);
                    int every = 1;
                    for (int i = 1; i < parts.length; i++) {
                        if (!parts[i].startsWith("every=")) {
                            throw new IllegalArgumentException("unknown exception option '" + parts[i] + "'");
                        }
                        every = Integer.parseInt(parts[i].substring("every=".length()).trim());
                    }
                    if (code < 1 || code > 255) {
                        throw new IllegalArgumentException("exception code must be 1..255, got " + code);
                    }
                    yield NONE.withException(code, every);
                }
                case "corrupt-crc", "crc" -> NONE.withCorruptCrc(value.isEmpty() ? 1.0 : Double.parseDouble(value));
                case "drop-every", "drop" -> {
                    int n = Integer.parseInt(value);
                    if (n < 1) {
                        throw new IllegalArgumentException("drop-every needs N >= 1");
                    }
                    yield NONE.withDropEvery(n);
                }
                case "flap" -> {
                    String[] parts = value.split("/");
                    Duration on = duration(parts[0]);
                    Duration off = parts.length > 1 ? duration(parts[1]) : on;
                    if (on.isZero() || off.isZero()) {
                        throw new IllegalArgumentException("flap periods must be positive");
                    }
                    yield NONE.withFlap(on, off);
                }
                case "drip" -> {
                    int n = Integer.parseInt(value);
                    if (n < 1) {
                        throw new IllegalArgumentException("drip needs N >= 1 bytes per second");
                    }
                    yield NONE.withDrip(n);
                }
                case "garbage" -> {
                    requireEmpty(kind, value);
                    yield NONE.withGarbage(true);
                }
                case "first-late" -> NONE.withFirstLate(duration(value));
                default -> throw new IllegalArgumentException("unknown fault '" + kind + "'");
            };
        } catch (IllegalArgumentException e) {
            String why = e instanceof NumberFormatException ? "bad number in '" + spec + "'" : e.getMessage();
            throw new IllegalArgumentException("bad --fault '" + spec + "': " + why + "\nfaults:\n" + SYNTAX.indent(2));
        }
    }

    private static void requireEmpty(String kind, String value) {
        if (!value.isEmpty()) {
            throw new IllegalArgumentException(kind + " takes no value");
        }
    }

    private static Duration duration(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("a duration is required, e.g. 1500ms or 2s");
        }
        Duration d = ConfigNode.parseDuration(text);
        if (d.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
        return d;
    }

    /** "silent", "delay 1500 ms, exception 02 every 5th request", or "none". */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (silent) {
            parts.add("silent");
        }
        if (!delay.isZero()) {
            parts.add("delay " + delay.toMillis() + " ms");
        }
        if (exceptionCode != 0) {
            parts.add(String.format(Locale.ROOT, "exception %02X", exceptionCode)
                    + (exceptionEvery == 1 ? "" : " every " + exceptionEvery + ". request"));
        }
        if (corruptCrc > 0) {
            parts.add("corrupt CRC " + (corruptCrc >= 1 ? "always" : "p=" + corruptCrc));
        }
        if (dropEvery > 0) {
            parts.add("drop connection every " + dropEvery + ". request");
        }
        if (!flapAnswering.isZero()) {
            parts.add("flap " + flapAnswering.toMillis() + " ms answering / " + flapSilent.toMillis() + " ms silent");
        }
        if (drip > 0) {
            parts.add("drip " + drip + " bytes/s");
        }
        if (garbage) {
            parts.add("garbage answers");
        }
        if (!firstLate.isZero()) {
            parts.add("first answer per connection " + firstLate.toMillis() + " ms late");
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }
}
